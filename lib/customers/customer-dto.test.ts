// Masking for viewers: enough to tell customers apart, not to identify them.
import { expect, test } from "vitest";
import { maskCustomerDto, maskEmail } from "./customer-dto";

test("emails, names and phones are masked", () => {
  expect(maskEmail("ada.lovelace@example.co.uk")).toBe("a••••••@e••••••.uk");
  expect(maskEmail("x@y")).toBe("•@•");
  const masked = maskCustomerDto({
    id: "cus_1", object: "customer", created: 0, email: "grace@navy.mil", name: "Grace Hopper", phone: "+1 555 0100",
    address: { line1: "1 Main St", country: "US" }, metadata: { a: "b" }, ip_addresses: ["203.0.113.1"], erased: false, erased_at: null,
  });
  expect(masked).toMatchObject({ email: "g••••@n•••.mil", name: "G•••• H•••••", phone: "••• 00", address: { country: "US" }, metadata: {}, ip_addresses: [] });
  expect(JSON.stringify(masked)).not.toMatch(/Hopper|grace|Main|203\.0/);
});
