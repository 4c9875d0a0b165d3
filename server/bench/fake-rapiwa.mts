/**
 * The fake Rapiwa for the send path, started by run.mts as a process of its own so that neither
 * the server nor autocannon shares its event loop: scripts/fake-rapiwa.mts (prints `{"url": ...}`
 * once listening; set FAKE_RAPIWA_PORT=0 for a free port), plus an exit when stdin closes, so it
 * does not outlive a bench that died without stopping it. Driven over HTTP (/__fake/*).
 */
process.stdin.on("end", () => process.exit(0));
process.stdin.resume();
await import("../scripts/fake-rapiwa.mts");
