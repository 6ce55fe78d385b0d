// Merchants and their dashboard users: creation (CLI, seed), invitations and role changes (Team page).
import { z } from "zod";
import { AppError } from "@/lib/api/errors";
import { recordAuditEvent, type Actor } from "@/lib/compliance/record-audit-event";
import { db } from "@/lib/db/client";
import { newId } from "@/lib/ids";
import { generatePassword, hashPassword, PASSWORD_MIN_LENGTH } from "@/lib/auth/passwords";
import { ROLES, type Role } from "@/lib/auth/roles";

export const ZInviteUserRequest = z.strictObject({
  email: z.string().trim().toLowerCase().email("must be an email address"),
  name: z.string().trim().min(1).max(100),
  role: z.enum(ROLES),
});
export const ZChangeRoleRequest = z.strictObject({ role: z.enum(ROLES) });

export type UserDto = { id: string; email: string; name: string; role: Role; created: string; last_sign_in: string | null; disabled: boolean };

const userSelect = { id: true, email: true, name: true, role: true, createdAt: true, lastSignInAt: true, disabledAt: true } as const;
function toUserDto(row: { id: string; email: string; name: string; role: Role; createdAt: Date; lastSignInAt: Date | null; disabledAt: Date | null }): UserDto {
  return { id: row.id, email: row.email, name: row.name, role: row.role, created: row.createdAt.toISOString(), last_sign_in: row.lastSignInAt?.toISOString() ?? null, disabled: Boolean(row.disabledAt) };
}

export async function createMerchant(input: { name: string; country?: string; defaultCurrency?: string; actor: Actor }): Promise<{ id: string; name: string }> {
  return db().$transaction(async (tx) => {
    const merchant = await tx.merchant.create({
      data: { id: newId("merchant"), name: input.name, country: input.country ?? "US", defaultCurrency: input.defaultCurrency ?? "USD" },
      select: { id: true, name: true },
    });
    await recordAuditEvent({ merchantId: merchant.id, actor: input.actor, action: "merchant.created", target: { type: "merchant", id: merchant.id } }, tx);
    return merchant;
  });
}

export async function createUser(input: { merchantId: string; email: string; name: string; role: Role; password?: string; actor: Actor }): Promise<{ user: UserDto; password: string }> {
  const password = input.password ?? generatePassword();
  if (password.length < PASSWORD_MIN_LENGTH) throw new AppError("parameter_invalid", `Passwords need at least ${PASSWORD_MIN_LENGTH} characters.`, { param: "password" });
  const email = input.email.trim().toLowerCase();
  const passwordHash = await hashPassword(password);
  try {
    const user = await db().$transaction(async (tx) => {
      const row = await tx.user.create({
        data: { id: newId("user"), merchantId: input.merchantId, email, name: input.name, role: input.role, passwordHash },
        select: userSelect,
      });
      await recordAuditEvent({ merchantId: input.merchantId, actor: input.actor, action: "user.created", target: { type: "user", id: row.id }, data: { role: input.role } }, tx);
      return row;
    });
    return { user: toUserDto(user), password };
  } catch (error) {
    if ((error as { code?: string }).code === "P2002") throw new AppError("parameter_invalid", `A user with email ${email} already exists.`, { param: "email" });
    throw error;
  }
}

export async function listUsers(merchantId: string): Promise<UserDto[]> {
  const rows = await db().user.findMany({ where: { merchantId }, orderBy: { createdAt: "asc" }, select: userSelect, take: 500 });
  return rows.map(toUserDto);
}

export async function changeUserRole(input: { merchantId: string; userId: string; role: Role; actor: Actor }): Promise<UserDto> {
  return db().$transaction(async (tx) => {
    const current = await tx.user.findFirst({ where: { id: input.userId, merchantId: input.merchantId }, select: { role: true } });
    if (!current) throw new AppError("resource_missing", `No such user: '${input.userId}'`, { param: "id" });
    if (current.role === "owner" && input.role !== "owner") {
      const owners = await tx.user.count({ where: { merchantId: input.merchantId, role: "owner", disabledAt: null } });
      if (owners <= 1) throw new AppError("invalid_state_transition", "A merchant must keep at least one owner.", { param: "role" });
    }
    const row = await tx.user.update({ where: { id: input.userId }, data: { role: input.role }, select: userSelect });
    await recordAuditEvent(
      { merchantId: input.merchantId, actor: input.actor, action: "user.role_changed", target: { type: "user", id: row.id }, data: { from: current.role, to: input.role } },
      tx,
    );
    return toUserDto(row);
  });
}
