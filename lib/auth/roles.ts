// Dashboard roles, from most to least powerful, and what each may do.
export const ROLES = ["owner", "admin", "staff", "viewer"] as const;
export type Role = (typeof ROLES)[number];

const RANK: Record<Role, number> = { owner: 4, admin: 3, staff: 2, viewer: 1 };

export function hasRole(actual: Role, atLeast: Role): boolean {
  return RANK[actual] >= RANK[atLeast];
}

/** Which role each dashboard capability needs. */
export const CAPABILITIES = {
  manageApiKeys: "admin",
  manageTeam: "owner",
  refund: "admin",
  approveRefund: "admin",
  transfer: "staff",
  resolveDiscrepancy: "admin",
  reviewCompliance: "admin",
  viewAuditLog: "admin",
} as const satisfies Record<string, Role>;
export type Capability = keyof typeof CAPABILITIES;

export function can(role: Role, capability: Capability): boolean {
  return hasRole(role, CAPABILITIES[capability]);
}
