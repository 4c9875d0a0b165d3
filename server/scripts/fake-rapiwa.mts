import { startFakeRapiwa } from "../fakes/fake-rapiwa.ts";

// Runs the fake Rapiwa for development, benchmarks and crash tests; drive it through /__fake/*.
const port = Number(process.env.FAKE_RAPIWA_PORT ?? 4010);
const host = process.env.FAKE_RAPIWA_HOST ?? "127.0.0.1";
if (!Number.isInteger(port) || port < 0 || port > 65_535) {
  console.error(`FAKE_RAPIWA_PORT must be a port number, got "${process.env.FAKE_RAPIWA_PORT}"`);
  process.exit(1);
}

const fake = await startFakeRapiwa({ port, host });
// One JSON line, so a parent process can read the URL (port 0 picks a free port).
console.log(JSON.stringify({ url: fake.url }));

let closing = false;
async function shutdown() {
  if (closing) return;
  closing = true;
  await fake.close();
  process.exit(0);
}
process.on("SIGINT", shutdown);
process.on("SIGTERM", shutdown);
