import { queryOptions, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { graphql } from "../../../graphql/gql.ts";
import type { ChangeTeamMemberRoleInput, InviteTeamMemberInput } from "../../../graphql/graphql.ts";
import { executeGraphQL } from "../../../lib/graphql-client.ts";

export const TeamMembersQuery = graphql(`
  query TeamMembers {
    teamMembers {
      id
      role
      createdAt
      user {
        id
        email
      }
    }
  }
`);

// Owners and admins only: a member's request would be refused, so it is not made for them.
export const TeamInvitationsQuery = graphql(`
  query TeamInvitations {
    teamInvitations {
      id
      email
      role
      status
      createdAt
      expiresAt
    }
  }
`);

export const MyInvitationsQuery = graphql(`
  query MyInvitations {
    myInvitations {
      id
      companyName
      role
      createdAt
      expiresAt
    }
  }
`);

export const InviteTeamMemberMutation = graphql(`
  mutation InviteTeamMember($input: InviteTeamMemberInput!) {
    inviteTeamMember(input: $input) {
      id
      email
      role
      status
      expiresAt
    }
  }
`);

export const RevokeTeamInvitationMutation = graphql(`
  mutation RevokeTeamInvitation($id: ID!) {
    revokeTeamInvitation(id: $id) {
      id
      status
    }
  }
`);

export const ChangeTeamMemberRoleMutation = graphql(`
  mutation ChangeTeamMemberRole($input: ChangeTeamMemberRoleInput!) {
    changeTeamMemberRole(input: $input) {
      id
      role
    }
  }
`);

export const RemoveTeamMemberMutation = graphql(`
  mutation RemoveTeamMember($userId: ID!) {
    removeTeamMember(userId: $userId)
  }
`);

export const LeaveTenantMutation = graphql(`
  mutation LeaveTenant {
    leaveTenant
  }
`);

export const AcceptInvitationMutation = graphql(`
  mutation AcceptInvitation($id: ID!) {
    acceptInvitation(id: $id) {
      role
      tenant {
        id
        companyName
      }
    }
  }
`);

export const DeclineInvitationMutation = graphql(`
  mutation DeclineInvitation($id: ID!) {
    declineInvitation(id: $id)
  }
`);

const TEAM_KEY = ["team"] as const;

export const teamMembersQueryOptions = () => queryOptions({ queryKey: [...TEAM_KEY, "members"], queryFn: () => executeGraphQL(TeamMembersQuery) });
export const teamInvitationsQueryOptions = () => queryOptions({ queryKey: [...TEAM_KEY, "invitations"], queryFn: () => executeGraphQL(TeamInvitationsQuery) });
// Addressed to the person, not the tenant: the same under every tenant they act for.
export const myInvitationsQueryOptions = () => queryOptions({ queryKey: ["my-invitations"], queryFn: () => executeGraphQL(MyInvitationsQuery) });

export const useTeamMembers = () => useQuery(teamMembersQueryOptions());
export const useTeamInvitations = (enabled: boolean) => useQuery({ ...teamInvitationsQueryOptions(), enabled });
export const useMyInvitations = () => useQuery(myInvitationsQueryOptions());

/** Every team mutation changes what the team lists show: they are fetched again after it. */
function useTeamMutation<Variables, Result>(mutationFn: (variables: Variables) => Promise<Result>) {
  const queryClient = useQueryClient();
  return useMutation({ mutationFn, onSuccess: () => queryClient.invalidateQueries({ queryKey: TEAM_KEY }) });
}

export const useInviteTeamMember = () => useTeamMutation((input: InviteTeamMemberInput) => executeGraphQL(InviteTeamMemberMutation, { input }));
export const useRevokeTeamInvitation = () => useTeamMutation((id: string) => executeGraphQL(RevokeTeamInvitationMutation, { id }));
export const useChangeTeamMemberRole = () => useTeamMutation((input: ChangeTeamMemberRoleInput) => executeGraphQL(ChangeTeamMemberRoleMutation, { input }));
export const useRemoveTeamMember = () => useTeamMutation((userId: string) => executeGraphQL(RemoveTeamMemberMutation, { userId }));
export const useLeaveTenant = () => useMutation({ mutationFn: () => executeGraphQL(LeaveTenantMutation) });

function useMyInvitationMutation<Result>(mutationFn: (id: string) => Promise<Result>) {
  const queryClient = useQueryClient();
  return useMutation({ mutationFn, onSuccess: () => queryClient.invalidateQueries({ queryKey: ["my-invitations"] }) });
}

export const useAcceptInvitation = () => useMyInvitationMutation((id: string) => executeGraphQL(AcceptInvitationMutation, { id }));
export const useDeclineInvitation = () => useMyInvitationMutation((id: string) => executeGraphQL(DeclineInvitationMutation, { id }));
