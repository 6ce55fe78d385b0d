// Where personal data about a customer is held, for GDPR exports. Each domain registers a source that
// returns what it holds for one customer (ids and references; it must not re-identify erased customers).
import type { Db } from "@/lib/db/client";

export type PersonalDataSource = {
  /** Key of the section in the export, e.g. "payments". */
  name: string;
  collect: (input: { merchantId: string; customerId: string; client: Db }) => Promise<unknown>;
};

const sources = new Map<string, PersonalDataSource>();

export function registerPersonalDataSource(source: PersonalDataSource): void {
  sources.set(source.name, source);
}

export function listPersonalDataSources(): PersonalDataSource[] {
  return [...sources.values()];
}
