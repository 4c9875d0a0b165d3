import { spawn } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { errorCode, expectData, logIn, newAccount, signUp, startTestApi, type TestApi } from "../support/api.ts";
import { SEARCH, START_SESSION } from "./staff.ts";

/** `npm run staff -w server` as an operator runs it: the script in a process of its own, on the owner connection. */

const serverDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
let api: TestApi;
let dataDir: string;

function staffCli(args: string[], { stdin, env = {} }: { stdin?: string; env?: Record<string, string> } = {}) {
  return new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve, reject) => {
    const child = spawn(process.execPath, ["--import", "tsx", "scripts/staff.mts", ...args], {
      cwd: serverDir,
      env: { PATH: process.env.PATH, DATABASE_URL: api.database.ownerUrl, DATA_DIR: dataDir, LOG_LEVEL: "silent", ...env },
      stdio: ["pipe", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk) => (stdout += chunk));
    child.stderr.on("data", (chunk) => (stderr += chunk));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(stdin ?? "");
  });
}

const ME = `{ me { platformRole } }`;

beforeAll(async () => {
  api = await startTestApi();
  dataDir = await mkdtemp(path.join(tmpdir(), "switchboard-staff-cli-"));
});
afterAll(async () => {
  await api?.close();
  await rm(dataDir, { recursive: true, force: true });
});

describe("npm run staff", () => {
  it("adds a new staff account with a password from standard input, who then logs in as staff", async () => {
    const { email, password } = newAccount("cli-staff");
    const added = await staffCli(["add", "--email", email.toUpperCase(), "--role", "SUPPORT", "--password-stdin"], { stdin: `${password}\n` });
    expect(added).toMatchObject({ code: 0, stdout: `${email} is SUPPORT (new account)\n` });
    const token = await logIn(api, { email, password });
    expect(expectData(await api.graphql(ME, {}, { token })).me.platformRole).toBe("SUPPORT");

    // Again with another role: the same account, its role changed.
    expect(await staffCli(["add", "--email", email, "--role", "SUPERADMIN"])).toMatchObject({ code: 0, stdout: `${email} is SUPERADMIN\n` });
    expect(expectData(await api.graphql(ME, {}, { token })).me.platformRole).toBe("SUPERADMIN");
    expect((await staffCli(["list"])).stdout).toContain(`${email}\tSUPERADMIN\tsince `);
  });

  it("takes the password from STAFF_PASSWORD too, and refuses one that breaks the sign-up rules", async () => {
    const { email, password } = newAccount("cli-env");
    expect(await staffCli(["add", "--email", email, "--role", "SUPPORT"], { env: { STAFF_PASSWORD: password } })).toMatchObject({ code: 0 });
    await logIn(api, { email, password });
    const weak = newAccount("cli-weak");
    const refused = await staffCli(["add", "--email", weak.email, "--role", "SUPPORT", "--password-stdin"], { stdin: "short" });
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/12/);
    expect((await staffCli(["list"])).stdout).not.toContain(weak.email);
  });

  it("grants the role to an existing account without asking for a password", async () => {
    const person = await signUp(api, "cli-existing");
    expect(await staffCli(["add", "--email", person.email, "--role", "SUPPORT"])).toMatchObject({ code: 0, stdout: `${person.email} is SUPPORT\n` });
    expect(expectData(await api.graphql(ME, {}, { token: person.token })).me.platformRole).toBe("SUPPORT");
  });

  it("refuses a new account without a password, an unknown role or a missing email, changing nothing", async () => {
    const { email } = newAccount("cli-refused");
    const noPassword = await staffCli(["add", "--email", email, "--role", "SUPPORT"]);
    expect(noPassword.code).not.toBe(0);
    expect(noPassword.stderr).toMatch(/password/i);
    expect(await staffCli(["add", "--email", email, "--role", "OWNER"])).toMatchObject({ code: 2 });
    expect(await staffCli(["remove"])).toMatchObject({ code: 2 });
    expect(await staffCli(["promote", "--email", email])).toMatchObject({ code: 2 });
    expect((await staffCli(["list"])).stdout).not.toContain(email);
  });

  it("removes the role at once: the staff member's session can no longer use the console, and their support session ends", async () => {
    const { email, password } = newAccount("cli-removed");
    await staffCli(["add", "--email", email, "--role", "SUPPORT", "--password-stdin"], { stdin: password });
    const token = await logIn(api, { email, password });
    const sessionId = expectData(await api.graphql(START_SESSION, { reason: "Ticket 9: checking before removal" }, { token })).startSupportSession.id;

    expect(await staffCli(["remove", "--email", email])).toMatchObject({ code: 0, stdout: `${email} is no longer staff\n` });
    expect(errorCode(await api.graphql(SEARCH, { sessionId, filter: { contact: "+14155550123" } }, { token }))).toBe("FORBIDDEN");
    expect(expectData(await api.graphql(ME, {}, { token })).me.platformRole).toBeNull();
    const ended = await api.database.ownerPool.query("SELECT expires_at <= now() AS ended FROM support_sessions WHERE id = $1", [sessionId]);
    expect(ended.rows[0].ended).toBe(true);
    expect((await staffCli(["list"])).stdout).not.toContain(email);
    expect(await staffCli(["remove", "--email", email])).toMatchObject({ code: 1, stdout: `${email} is not staff\n` });
  });
});
