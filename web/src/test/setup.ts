import "@testing-library/jest-dom/vitest";
import { cleanup, configure } from "@testing-library/react";
import { afterEach } from "vitest";

// findBy*/waitFor give up after this long. The default (1 s) ran out on a shared two-core machine
// while other test runs held the CPU; what they wait for takes milliseconds when nothing else runs.
configure({ asyncUtilTimeout: 5_000 });

afterEach(() => cleanup());
