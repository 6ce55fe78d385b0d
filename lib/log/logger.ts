// Structured JSON logs. Secrets are redacted by path, and anything that looks like a card number is
// masked wherever it appears, so a mistake upstream cannot put a PAN in the logs.
import pino from "pino";
import { redactCardNumbers } from "./redact";

const level = process.env.LOG_LEVEL ?? (process.env.NODE_ENV === "test" ? "warn" : "info");

export const logger = pino({
  level,
  base: { service: "settle" },
  timestamp: pino.stdTimeFunctions.isoTime,
  redact: {
    paths: [
      "authorization",
      "*.authorization",
      "headers.authorization",
      "headers.cookie",
      "password",
      "*.password",
      "secret",
      "*.secret",
      "apiKey",
      "*.apiKey",
      "card",
      "*.card",
    ],
    censor: "[redacted]",
  },
  hooks: {
    logMethod(args, method) {
      method.apply(
        this,
        args.map((arg) => (typeof arg === "string" ? redactCardNumbers(arg) : arg)) as Parameters<typeof method>,
      );
    },
  },
  serializers: { err: pino.stdSerializers.err },
  formatters: {
    log(object) {
      return JSON.parse(redactCardNumbers(JSON.stringify(object, errorsAsObjects)));
    },
  },
});

function errorsAsObjects(_key: string, value: unknown): unknown {
  if (value instanceof Error) return { type: value.name, message: value.message, stack: value.stack, code: (value as { code?: unknown }).code };
  return value;
}

export type Logger = typeof logger;
