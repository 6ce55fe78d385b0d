// Finds card-number-like digit runs (13–19 digits, optionally spaced or dashed, Luhn-valid).

const CANDIDATE = /(?<![\d])(?:\d[ -]?){12,18}\d(?![\d])/g;

export function isLuhnValid(digits: string): boolean {
  let sum = 0;
  let double = false;
  for (let i = digits.length - 1; i >= 0; i--) {
    let d = digits.charCodeAt(i) - 48;
    if (d < 0 || d > 9) return false;
    if (double) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
    double = !double;
  }
  return sum % 10 === 0;
}

/** Every Luhn-valid 13–19 digit run in `text`. */
export function findCardNumbers(text: string): string[] {
  const hits: string[] = [];
  for (const match of text.matchAll(CANDIDATE)) {
    const digits = match[0].replace(/[ -]/g, "");
    if (digits.length >= 13 && digits.length <= 19 && isLuhnValid(digits)) hits.push(match[0]);
  }
  return hits;
}

export function redactCardNumbers(text: string): string {
  return text.replace(CANDIDATE, (run) => {
    const digits = run.replace(/[ -]/g, "");
    if (digits.length < 13 || digits.length > 19 || !isLuhnValid(digits)) return run;
    return `[card-redacted …${digits.slice(-4)}]`;
  });
}
