// Lists a merchant's customers (newest first, cursor pagination), or those with an exact email through
// the blind index. Personal data leaves decrypted, so every page is audited with the ids it showed.
import { finishPage, idPage, listResponse, type ListResponse } from "@/lib/api/pagination";
import { type PersonalDataReader, recordPersonalDataRead } from "@/lib/compliance/record-audit-event";
import { toBytes } from "@/lib/compliance/encryption/aes-gcm";
import { emailBlindIndex, findMerchantDataKey } from "@/lib/compliance/encryption/key-hierarchy";
import { db } from "@/lib/db/client";
import { maskCustomerDto, toCustomerDto } from "./customer-dto";
import { ENCRYPTED_ROW_SELECT } from "./customer-fields";
import type { TCustomerDto, TListCustomersQuery } from "./customer.types";
import { decryptRow } from "./get-customer";

/** Viewers (`masked`) get masked personal data, still decrypted server-side to mask it. */
export async function listCustomers(input: PersonalDataReader & { query: TListCustomersQuery }): Promise<ListResponse<TCustomerDto>> {
  const { merchantId, query } = input;
  const page = idPage(query);
  let emailIndex: Uint8Array<ArrayBuffer> | undefined;
  if (query.email) {
    const merchantKey = await findMerchantDataKey(merchantId);
    if (!merchantKey) return listResponse("/v1/customers", [], false);
    emailIndex = toBytes(emailBlindIndex(merchantKey, query.email));
  }
  const rows = await db().customer.findMany({
    where: { merchantId, ...page.where, ...(emailIndex ? { emailIndex, erasedAt: null } : {}) },
    orderBy: page.orderBy,
    take: page.take,
    select: ENCRYPTED_ROW_SELECT,
  });
  const { data, hasMore } = finishPage(rows, query, page.reversed);
  const customers = await Promise.all(data.map((row) => decryptRow(row)));
  const dtos = customers.map(toCustomerDto).map((dto) => (input.masked ? maskCustomerDto(dto) : dto));
  if (dtos.length > 0) {
    await recordPersonalDataRead({
      merchantId, actor: input.actor, target: { type: "customer_list", id: merchantId }, via: input.via ?? "customer_list", masked: input.masked ?? false,
      data: { search: query.email ? "email" : null, customer_ids: dtos.map((dto) => dto.id) },
    });
  }
  return listResponse("/v1/customers", dtos, hasMore);
}
