// Why a test failed, in few lines, where a log's last lines show it: CI keeps only the end of its
// output, and Playwright's list reporter puts the errors before the long attachment listings.
// Each failure's title and the head of its error go to artifacts/<file> (written only when a test
// failed); scripts/test.sh removes those files first and prints them after the timings when a step fails.
import type { FullResult, Reporter, TestCase, TestResult } from "@playwright/test/reporter";
import { mkdirSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const artifacts = join(dirname(fileURLToPath(import.meta.url)), "../../artifacts");
// Control sequences (colours) out, so the file reads as text.
const plain = (s: string) => s.replace(/\u001b\[[0-9;]*m/g, "");

export default class FailuresReporter implements Reporter {
  private failures: string[] = [];
  constructor(private options: { file?: string } = {}) {}

  onTestEnd(test: TestCase, result: TestResult) {
    if (result.status === "passed" || result.status === "skipped" || test.expectedStatus === result.status) return;
    const where = test.location ? `${test.location.file.split("/").slice(-2).join("/")}:${test.location.line}` : "";
    const errors = result.errors.map((e) => plain(e.message ?? e.value ?? "").split("\n").slice(0, 14).join("\n"));
    const at = result.errors.map((e) => e.location).find(Boolean);
    this.failures.push(
      [
        `✘ [${test.parent.project()?.name ?? ""}] ${test.titlePath().slice(1).join(" › ")} (${where}, ${result.status}, ${Math.round(result.duration / 1000)} s)`,
        at ? `  failed at ${at.file.split("/").slice(-2).join("/")}:${at.line}` : "",
        ...errors.map((e) => e.replace(/^/gm, "  ")),
      ]
        .filter(Boolean)
        .join("\n"),
    );
  }

  onEnd(_: FullResult) {
    if (!this.failures.length) return;
    mkdirSync(artifacts, { recursive: true });
    writeFileSync(join(artifacts, this.options.file ?? "e2e-failures.txt"), this.failures.join("\n\n") + "\n");
  }

  printsToStdio() {
    return false;
  }
}
