// The server's password policy (server/src/security/passwords.ts), shown before anyone has to be refused.
export const PASSWORD_MIN_LENGTH = 12;
export const PASSWORD_MAX_LENGTH = 128;
