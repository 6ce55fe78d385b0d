// Next.js proxy (formerly middleware), scoped to the checkout pages: a per-request nonce and the
// Content-Security-Policy that lets only Settle itself and the PSP run scripts and frames there.
import { NextResponse, type NextRequest } from "next/server";
import { checkoutContentSecurityPolicy } from "@/lib/checkout/checkout-config";
import { getEnv } from "@/lib/env";

export function proxy(request: NextRequest) {
  const nonce = Buffer.from(crypto.randomUUID()).toString("base64");
  const policy = checkoutContentSecurityPolicy(nonce, { development: getEnv().NODE_ENV === "development" });
  const requestHeaders = new Headers(request.headers);
  requestHeaders.set("x-nonce", nonce);
  requestHeaders.set("content-security-policy", policy);
  const response = NextResponse.next({ request: { headers: requestHeaders } });
  response.headers.set("content-security-policy", policy);
  response.headers.set("referrer-policy", "no-referrer");
  response.headers.set("x-content-type-options", "nosniff");
  return response;
}

export const config = {
  matcher: [{ source: "/checkout/:path*", missing: [{ type: "header", key: "next-router-prefetch" }] }],
};
