// Where outgoing email goes: an SMTP server when SMTP_URL is set (nodemailer), otherwise nowhere but the
// email_messages table, which the dashboard shows as the local outbox.
import nodemailer from "nodemailer";
import { getEnv } from "@/lib/env";

export type OutgoingEmail = { from: string; to: string; subject: string; text: string; html: string };

export type EmailTransport = {
  name: "smtp" | "local";
  send: (message: OutgoingEmail) => Promise<void>;
};

const SMTP_TIMEOUT_MS = 15_000;

export const localTransport: EmailTransport = { name: "local", send: async () => {} };

export function smtpTransport(url: string): EmailTransport {
  const transporter = nodemailer.createTransport({
    url,
    connectionTimeout: SMTP_TIMEOUT_MS,
    greetingTimeout: SMTP_TIMEOUT_MS,
    socketTimeout: SMTP_TIMEOUT_MS,
  } as Parameters<typeof nodemailer.createTransport>[0]);
  return {
    name: "smtp",
    send: async (message) => {
      await transporter.sendMail(message);
    },
  };
}

let configured: EmailTransport | undefined;

export function getEmailTransport(): EmailTransport {
  const url = getEnv().SMTP_URL;
  configured ??= url ? smtpTransport(url) : localTransport;
  return configured;
}
