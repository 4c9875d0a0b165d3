import { execFileSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";

/** One change of the schema file: the working tree against HEAD, or a commit against its first parent. */
export type SchemaChange = {
  label: string;
  oldSdl: string | null;
  newSdl: string | null;
  /** The working tree's change and the newest commit's: the ones whose dangerous changes get a warning. */
  latest: boolean;
};

export type History = {
  changes: SchemaChange[];
  /** Why some of the history could not be read (a shallow clone, no git); unset when all of it was. */
  missing?: string;
};

// Git finds the repository from `root` itself: a GIT_DIR set by a hook would point it elsewhere.
const { GIT_DIR: _dir, GIT_WORK_TREE: _workTree, GIT_INDEX_FILE: _index, ...gitEnv } = process.env;

const git = (root: string, args: string[]): string =>
  execFileSync("git", args, { cwd: root, env: gitEnv, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"], maxBuffer: 64 * 1024 * 1024 });

/** `git show <commit>:<file>`, or null when the commit has no such file. */
const fileAt = (root: string, commit: string, file: string): string | null => {
  try {
    return git(root, ["show", `${commit}:${file}`]);
  } catch {
    return null;
  }
};

const exists = (root: string, revision: string): boolean => {
  try {
    git(root, ["rev-parse", "--verify", "--quiet", `${revision}^{commit}`]);
    return true;
  } catch {
    return false;
  }
};

/**
 * Every change of `schemaFile` since the policy began, i.e. since CHANGELOG.md was first committed:
 * the uncommitted one (working tree against HEAD), then each commit on HEAD's first-parent line that
 * changed it (a merge counts as one change, against the branch it was merged into), against its
 * parent. Checking all of them, not only HEAD against HEAD~1, catches a breaking commit followed by
 * others, as one submission or pull request has them. Paths are relative to `root`, the repository's top.
 */
export function schemaHistory({ root, schemaFile, changelogFile }: { root: string; schemaFile: string; changelogFile: string }): History {
  const current = existsSync(path.join(root, schemaFile)) ? readFileSync(path.join(root, schemaFile), "utf8") : null;
  try {
    git(root, ["rev-parse", "--show-toplevel"]);
  } catch (error) {
    const said = String((error as { stderr?: unknown }).stderr ?? (error as Error).message)
      .trim()
      .split("\n")[0];
    return { changes: [], missing: `git cannot read the history of ${root} (${said}), so there is no earlier schema to compare with` };
  }
  if (!exists(root, "HEAD")) return { changes: [] }; // nothing committed yet: nothing to compare with

  const changes: SchemaChange[] = [];
  const committed = fileAt(root, "HEAD", schemaFile);
  if (committed !== current) changes.push({ label: `uncommitted changes to ${schemaFile}`, oldSdl: committed, newSdl: current, latest: true });

  const introductions = git(root, ["log", "--first-parent", "--diff-filter=A", "--format=%H", "--", changelogFile]).split("\n").filter(Boolean);
  const since = introductions.at(-1);
  if (since === undefined) return { changes }; // the policy starts with the first commit of CHANGELOG.md

  const range = exists(root, `${since}^`) ? [`${since}^..HEAD`] : ["HEAD"];
  const commits = git(root, ["log", "--first-parent", "--format=%H %s", ...range, "--", schemaFile])
    .split("\n")
    .filter(Boolean);
  const shallow = git(root, ["rev-parse", "--is-shallow-repository"]).trim() === "true";
  for (const [index, line] of commits.entries()) {
    const [commit = "", ...subject] = line.split(" ");
    const label = `${commit.slice(0, 10)} ${subject.join(" ")}`;
    if (!exists(root, `${commit}^`)) {
      if (!shallow) continue; // the repository's first commit: the schema was created, nothing to compare with
      return {
        changes,
        missing: `this is a shallow clone: the history ends at ${label}, so its change to ${schemaFile} and any earlier ones since CHANGELOG.md began were not compared (run \`git fetch --unshallow\`)`,
      };
    }
    const oldSdl = fileAt(root, `${commit}^`, schemaFile);
    if (oldSdl === null) continue; // the commit created the schema file
    changes.push({ label, oldSdl, newSdl: fileAt(root, commit, schemaFile), latest: index === 0 });
  }
  return { changes };
}
