// The receipt as an email: a plain-text part and a simple HTML part with inline styles (mail clients
// ignore stylesheets). Every value is escaped: descriptions and merchant names come from merchants.
import type { Receipt } from "./receipt.types";
import { receiptUrlFor } from "./receipt-url";

export type RenderedEmail = { subject: string; text: string; html: string };

export function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]!);
}

function methodLine(receipt: Receipt): string | null {
  const method = receipt.paymentMethod;
  if (!method) return null;
  const brand = method.brand ? method.brand.charAt(0).toUpperCase() + method.brand.slice(1) : method.type.replace(/_/g, " ");
  return method.last4 ? `${brand} ending in ${method.last4}` : brand;
}

export function renderReceiptEmail(receipt: Receipt): RenderedEmail {
  const url = receiptUrlFor(receipt.token);
  const paidOn = new Date(receipt.paidAt).toLocaleDateString("en-US", { dateStyle: "long", timeZone: "UTC" });
  const method = methodLine(receipt);
  const subject = `Your receipt from ${receipt.merchant.name} [#${receipt.receiptNumber}]`;
  const text = [
    `Receipt from ${receipt.merchant.name}`,
    `Receipt #${receipt.receiptNumber} · ${paidOn}`,
    "",
    ...receipt.lineItems.map((item) => `${item.quantity > 1 ? `${item.quantity} × ` : ""}${item.description}  ${item.amount}`),
    "",
    `Amount paid: ${receipt.amountPaid}`,
    ...(receipt.amountRefunded ? [`Refunded: ${receipt.amountRefunded}`, `Net: ${receipt.amountNet}`] : []),
    ...(method ? [`Payment method: ${method}`] : []),
    ...(receipt.statementDescriptor ? [`Appears on your statement as: ${receipt.statementDescriptor}`] : []),
    "",
    `View or print this receipt: ${url}`,
  ].join("\n");
  const row = (label: string, value: string, bold = false) =>
    `<tr><td style="padding:6px 0;color:#475569">${escapeHtml(label)}</td><td style="padding:6px 0;text-align:right;${bold ? "font-weight:600;" : ""}">${escapeHtml(value)}</td></tr>`;
  const html = `<!doctype html><html lang="en"><body style="margin:0;background:#f8fafc;font-family:-apple-system,Segoe UI,Roboto,Arial,sans-serif;color:#0f172a">
<div style="max-width:520px;margin:24px auto;background:#fff;border:1px solid #e2e8f0;border-radius:12px;padding:24px">
<p style="margin:0;font-size:13px;color:#475569">Receipt from</p>
<h1 style="margin:4px 0 16px;font-size:20px">${escapeHtml(receipt.merchant.name)}</h1>
<p style="margin:0 0 16px;font-size:14px;color:#475569">Receipt #${escapeHtml(receipt.receiptNumber)} · ${escapeHtml(paidOn)}</p>
<table role="presentation" style="width:100%;border-collapse:collapse;font-size:14px">
${receipt.lineItems.map((item) => row(`${item.quantity > 1 ? `${item.quantity} × ` : ""}${item.description}`, item.amount)).join("\n")}
<tr><td colspan="2" style="border-top:1px solid #e2e8f0"></td></tr>
${row("Amount paid", receipt.amountPaid, true)}
${receipt.amountRefunded ? row("Refunded", receipt.amountRefunded) + row("Net", receipt.amountNet, true) : ""}
${method ? row("Payment method", method) : ""}
</table>
<p style="margin:24px 0 0;font-size:14px"><a href="${escapeHtml(url)}" style="color:#1f57d1">View or print this receipt</a></p>
</div></body></html>`;
  return { subject, text, html };
}
