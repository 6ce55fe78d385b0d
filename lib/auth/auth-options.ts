// next-auth configuration: credentials sign-in, JWT session in a secure http-only cookie.
import type { NextAuthOptions } from "next-auth";
import CredentialsProvider from "next-auth/providers/credentials";
import { AppError } from "@/lib/api/errors";
import { getEnv } from "@/lib/env";
import { signIn } from "./sign-in";

const SESSION_MAX_AGE_SECONDS = 8 * 60 * 60;

function clientIp(headers: Record<string, string | string[] | undefined> | undefined): string {
  const forwarded = headers?.["x-forwarded-for"];
  const first = (Array.isArray(forwarded) ? forwarded[0] : forwarded)?.split(",")[0]?.trim();
  return first || "127.0.0.1";
}

export function authOptions(): NextAuthOptions {
  const env = getEnv();
  return {
    secret: env.AUTH_SECRET,
    session: { strategy: "jwt", maxAge: SESSION_MAX_AGE_SECONDS },
    useSecureCookies: env.COOKIE_SECURE ?? env.APP_URL.startsWith("https://"),
    pages: { signIn: "/sign-in" },
    providers: [
      CredentialsProvider({
        name: "Email and password",
        credentials: { email: { label: "Email", type: "email" }, password: { label: "Password", type: "password" } },
        async authorize(credentials, request) {
          if (!credentials?.email || !credentials.password) return null;
          const headers = request?.headers as Record<string, string | string[] | undefined> | undefined;
          try {
            const user = await signIn({
              email: credentials.email,
              password: credentials.password,
              ip: clientIp(headers),
              userAgent: typeof headers?.["user-agent"] === "string" ? headers["user-agent"] : null,
            });
            return user ? { id: user.id, email: user.email, name: user.name } : null;
          } catch (error) {
            if (error instanceof AppError && error.code === "rate_limited") throw new Error("rate_limited");
            throw error;
          }
        },
      }),
    ],
    callbacks: {
      async jwt({ token, user }) {
        if (user) token.sub = user.id;
        return token;
      },
      async session({ session, token }) {
        return { ...session, userId: token.sub };
      },
    },
  };
}
