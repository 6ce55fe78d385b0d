// Maps a decrypted Customer to its API shape (validated on the way out), and masks it for viewers.
import { ZCustomerDto, type Customer, type TCustomerDto } from "./customer.types";

const seconds = (date: Date) => Math.floor(date.getTime() / 1000);

export function toCustomerDto(customer: Customer): TCustomerDto {
  return ZCustomerDto.parse({
    id: customer.id,
    object: "customer",
    created: seconds(customer.createdAt),
    email: customer.email,
    name: customer.name,
    phone: customer.phone,
    address: customer.address,
    metadata: customer.metadata,
    ip_addresses: customer.ipAddresses,
    erased: customer.erasedAt !== null,
    erased_at: customer.erasedAt ? seconds(customer.erasedAt) : null,
  });
}

function maskText(text: string): string {
  return text.length <= 1 ? "•" : `${text[0]}${"•".repeat(Math.min(text.length - 1, 6))}`;
}

/** "a•••••@e•••••.com": enough to tell customers apart, not to identify them. */
export function maskEmail(email: string): string {
  const at = email.lastIndexOf("@");
  if (at < 1) return maskText(email);
  const domain = email.slice(at + 1);
  const dot = domain.lastIndexOf(".");
  return `${maskText(email.slice(0, at))}@${dot > 0 ? `${maskText(domain.slice(0, dot))}${domain.slice(dot)}` : maskText(domain)}`;
}

/** The view of a customer for roles that may not see personal data. */
export function maskCustomerDto(dto: TCustomerDto): TCustomerDto {
  return {
    ...dto,
    email: dto.email ? maskEmail(dto.email) : null,
    name: dto.name ? dto.name.split(/\s+/).map(maskText).join(" ") : null,
    phone: dto.phone ? `••• ${dto.phone.replace(/\D/g, "").slice(-2)}` : null,
    address: dto.address ? { country: dto.address.country } : null,
    metadata: {},
    ip_addresses: [],
  };
}
