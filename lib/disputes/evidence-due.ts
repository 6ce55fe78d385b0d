// How much time is left to answer a dispute, in words, for the disputes page.
const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;

export type EvidenceDue = { label: string; urgency: "past_due" | "urgent" | "soon" | "normal" | "none" };

export function describeEvidenceDue(dueIso: string | null, nowMs: number): EvidenceDue {
  if (!dueIso) return { label: "No due date given", urgency: "none" };
  const left = new Date(dueIso).getTime() - nowMs;
  if (left <= 0) return { label: "Past due", urgency: "past_due" };
  const days = Math.floor(left / DAY_MS);
  const hours = Math.floor((left % DAY_MS) / HOUR_MS);
  const minutes = Math.max(1, Math.floor((left % HOUR_MS) / 60_000));
  const plural = (n: number, unit: string) => `${n} ${unit}${n === 1 ? "" : "s"}`;
  const label = days > 0 ? `${plural(days, "day")} ${plural(hours, "hour")} left` : hours > 0 ? `${plural(hours, "hour")} ${plural(minutes, "minute")} left` : `${plural(minutes, "minute")} left`;
  return { label, urgency: left < DAY_MS ? "urgent" : left < 3 * DAY_MS ? "soon" : "normal" };
}
