// The sandbox clock: every timestamp the sandbox produces comes from here (real, frozen or offset time).
import type { Meta } from "./store.js";

export class SandboxClock {
  constructor(private readonly meta: () => Meta, private readonly touch: () => void) {}

  nowMs(): number {
    const m = this.meta();
    if (m.clockMode === "frozen") return m.clockFrozenMs;
    return Date.now() + m.clockOffsetMs;
  }

  now(): number {
    return Math.floor(this.nowMs() / 1000);
  }

  advance(seconds: number): void {
    const m = this.meta();
    if (m.clockMode === "frozen") m.clockFrozenMs += seconds * 1000;
    else {
      m.clockMode = "offset";
      m.clockOffsetMs += seconds * 1000;
    }
    this.touch();
  }

  setMode(mode: Meta["clockMode"], atSeconds?: number): void {
    const m = this.meta();
    const current = this.nowMs();
    if (mode === "frozen") {
      m.clockFrozenMs = atSeconds !== undefined ? atSeconds * 1000 : current;
    } else if (mode === "real") {
      m.clockOffsetMs = 0;
    } else {
      m.clockOffsetMs = (atSeconds !== undefined ? atSeconds * 1000 : current) - Date.now();
    }
    m.clockMode = mode;
    this.touch();
  }

  describe() {
    const m = this.meta();
    return { mode: m.clockMode, now: this.now(), now_ms: this.nowMs(), offset_ms: m.clockOffsetMs, iso: new Date(this.nowMs()).toISOString() };
  }
}
