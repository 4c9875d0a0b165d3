import { spawn, type ChildProcess } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { CHROMIUM } from "../../playwright.config.ts";

const webDir = path.resolve(import.meta.dirname, "../..");
const serverDir = path.resolve(webDir, "../server");

/** A TCP port nobody listens on now (the OS picks it). */
export const freePort = () =>
  new Promise<number>((resolve, reject) => {
    const probe = createServer();
    probe.once("error", reject);
    probe.listen(0, "127.0.0.1", () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
  });

/** The fake Rapiwa (server/scripts/fake-rapiwa.mts) on a free port, in a process of its own; its first line is `{"url": ...}`. */
async function startFakeRapiwa(): Promise<{ url: string; process: ChildProcess }> {
  const fake = spawn(process.execPath, ["--import", "tsx", "scripts/fake-rapiwa.mts"], {
    cwd: serverDir,
    env: { ...process.env, FAKE_RAPIWA_PORT: "0" },
    stdio: ["ignore", "pipe", "inherit"],
  });
  const url = await new Promise<string>((resolve, reject) => {
    let output = "";
    fake.stdout!.on("data", (chunk: Buffer) => {
      output += chunk.toString();
      const line = output.split("\n")[0];
      if (output.includes("\n")) {
        try {
          resolve((JSON.parse(line!) as { url: string }).url);
        } catch {
          reject(new Error(`the fake Rapiwa printed ${line}`));
        }
      }
    });
    fake.once("exit", (code) => reject(new Error(`the fake Rapiwa exited early (code ${code})`)));
  });
  return { url, process: fake };
}

/**
 * Starts the server as `npm start` does (src/main.ts, the embedded PostgreSQL in a fresh data folder,
 * NODE_ENV=development so `sandbox_` WhatsApp keys work), serving the built web/dist. The tests find it
 * at E2E_BASE_URL. Returns the teardown: SIGTERM (the server stops its PostgreSQL), then the folder goes.
 */
export default async function globalSetup() {
  if (!existsSync(CHROMIUM)) throw new Error(`No Chromium at ${CHROMIUM}: apt-get install -y chromium (or set CHROMIUM_PATH).`);
  if (!existsSync(path.join(webDir, "dist/index.html"))) throw new Error("web/dist is not built: run `npm run test:e2e -w web`, which builds first.");

  const rapiwa = await startFakeRapiwa();
  process.once("exit", () => rapiwa.process.kill("SIGKILL"));
  const dataDir = await mkdtemp(path.join(tmpdir(), "switchboard-e2e-"));
  const port = await freePort();
  const { DATABASE_URL: _url, DATABASE_APP_URL: _appUrl, ...inherited } = process.env;
  const server: ChildProcess = spawn(process.execPath, ["--import", "tsx", "src/main.ts"], {
    cwd: serverDir,
    env: {
      ...inherited,
      NODE_ENV: "development",
      PORT: String(port),
      HOST: "127.0.0.1",
      DATA_DIR: dataDir,
      WEB_DIST_DIR: path.join(webDir, "dist"),
      // Real Rapiwa keys go to the fake (the sandbox's `sandbox_` keys never leave the server).
      RAPIWA_BASE_URL: rapiwa.url,
      LOG_LEVEL: process.env.E2E_LOG_LEVEL ?? "warn",
      LOG_FORMAT: "json",
      // The webhooks spec's receivers listen on 127.0.0.1 in the test process: the server refuses loopback
      // webhook URLs unless this allows them (refused in production; cloud metadata addresses stay refused).
      WEBHOOK_ALLOW_PRIVATE_URLS: "true",
      // A failed delivery's automatic retry is an hour away, so a redelivery the webhooks spec asks for is
      // what delivers it (no retry 5 s later races it); the first attempt is still immediate.
      WEBHOOK_RETRY_SCHEDULE: "0,3600",
      // signUpByApi gives each set-up sign-up an X-Forwarded-For address of its own: the suite signs up
      // more companies than the 20 per address per hour the server allows. The browser's requests carry
      // no such header, so they still count as 127.0.0.1.
      TRUST_PROXY: "true",
    },
    stdio: ["ignore", "inherit", "inherit"],
  });
  const exited = new Promise<void>((resolve) => server.once("exit", () => resolve()));
  const baseUrl = `http://127.0.0.1:${port}`;

  const deadline = Date.now() + 90_000;
  for (;;) {
    if (server.exitCode !== null) throw new Error(`the server exited early (code ${server.exitCode})`);
    const healthy = await fetch(`${baseUrl}/healthz`).then(
      (response) => response.ok,
      () => false,
    );
    if (healthy) break;
    if (Date.now() > deadline) {
      server.kill("SIGKILL");
      throw new Error("the server did not answer /healthz within 90 s");
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  // Test workers inherit this process's environment.
  process.env.E2E_BASE_URL = baseUrl;
  process.env.E2E_FAKE_RAPIWA_URL = rapiwa.url;
  // The server's data folder: `npm run staff` (server/scripts/staff.mts) reaches its running PostgreSQL through it.
  process.env.E2E_DATA_DIR = dataDir;

  return async () => {
    server.kill("SIGTERM");
    const stopped = await Promise.race([exited.then(() => true), new Promise<boolean>((resolve) => setTimeout(resolve, 15_000, false))]);
    if (!stopped) {
      server.kill("SIGKILL");
      await exited;
    }
    rapiwa.process.kill("SIGTERM");
    await rm(dataDir, { recursive: true, force: true });
  };
}
