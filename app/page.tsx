import { redirect } from "next/navigation";
import { getDashboardUser } from "@/lib/auth/session";

export const dynamic = "force-dynamic";

export default async function Home() {
  const user = await getDashboardUser();
  redirect(user ? "/dashboard" : "/sign-in");
}
