// A merchant's risk thresholds and rule configuration (risk_settings; defaults when there is no row).
import { z } from "zod";
import { AppError } from "@/lib/api/errors";
import { parseAmlConfig, type AmlConfig } from "@/lib/compliance/aml/aml-config";
import { recordAuditEvent, type Actor } from "@/lib/compliance/record-audit-event";
import { db } from "@/lib/db/client";
import type { Prisma } from "@/lib/generated/prisma/client";
import { DEFAULT_BLOCK_THRESHOLD, DEFAULT_REVIEW_THRESHOLD } from "./model/train";
import { ZBillingCountryMismatchConfig, type BillingCountryMismatchConfig } from "./rules/billing-country-mismatch";
import { ZGeoAnomalyConfig, type GeoAnomalyConfig } from "./rules/geo-anomaly";
import { ZMerchantListsConfig, type MerchantListsConfig } from "./rules/merchant-lists";
import { ZVelocityConfig, type VelocityConfig } from "./rules/velocity";

export type RiskSettings = {
  reviewThreshold: number;
  blockThreshold: number;
  rules: {
    velocity: VelocityConfig;
    geo_anomaly: GeoAnomalyConfig;
    billing_country_mismatch: BillingCountryMismatchConfig;
    merchant_lists: MerchantListsConfig;
    aml: AmlConfig;
  };
  /** The stored overrides, as given (for the settings API). */
  ruleOverrides: Record<string, unknown>;
};

const ZRuleOverrides = z.record(z.string(), z.unknown());

function parseRules(raw: unknown): RiskSettings["rules"] {
  const overrides = ZRuleOverrides.catch({}).parse(raw ?? {});
  return {
    velocity: ZVelocityConfig.parse(overrides.velocity ?? {}),
    geo_anomaly: ZGeoAnomalyConfig.parse(overrides.geo_anomaly ?? {}),
    billing_country_mismatch: ZBillingCountryMismatchConfig.parse(overrides.billing_country_mismatch ?? {}),
    merchant_lists: ZMerchantListsConfig.parse(overrides.merchant_lists ?? {}),
    aml: parseAmlConfig(overrides.aml),
  };
}

export async function getRiskSettings(merchantId: string): Promise<RiskSettings> {
  const row = await db().riskSettings.findUnique({ where: { merchantId }, select: { reviewThreshold: true, blockThreshold: true, rules: true } });
  return {
    reviewThreshold: row?.reviewThreshold ?? DEFAULT_REVIEW_THRESHOLD,
    blockThreshold: row?.blockThreshold ?? DEFAULT_BLOCK_THRESHOLD,
    rules: parseRules(row?.rules),
    ruleOverrides: (row?.rules as Record<string, unknown> | undefined) ?? {},
  };
}

export const ZUpdateRiskSettingsRequest = z.strictObject({
  review_threshold: z.number().int().min(1).max(100).optional(),
  block_threshold: z.number().int().min(1).max(100).optional(),
  /** Replaces the stored rule overrides: { velocity?, geo_anomaly?, billing_country_mismatch?, merchant_lists?, aml? }. */
  rules: ZRuleOverrides.optional(),
});
export type TUpdateRiskSettingsRequest = z.infer<typeof ZUpdateRiskSettingsRequest>;

export type RiskSettingsDto = { object: "risk_settings"; review_threshold: number; block_threshold: number; rules: Record<string, unknown> };

function toDto(settings: RiskSettings): RiskSettingsDto {
  return { object: "risk_settings", review_threshold: settings.reviewThreshold, block_threshold: settings.blockThreshold, rules: settings.ruleOverrides };
}

export async function getRiskSettingsDto(merchantId: string): Promise<RiskSettingsDto> {
  return toDto(await getRiskSettings(merchantId));
}

export async function updateRiskSettings(input: TUpdateRiskSettingsRequest & { merchantId: string; actor: Actor }): Promise<RiskSettingsDto> {
  const current = await getRiskSettings(input.merchantId);
  const reviewThreshold = input.review_threshold ?? current.reviewThreshold;
  const blockThreshold = input.block_threshold ?? current.blockThreshold;
  if (reviewThreshold > blockThreshold) {
    throw new AppError("parameter_invalid", "review_threshold must not be above block_threshold.", { param: "review_threshold" });
  }
  const rules = input.rules ?? current.ruleOverrides;
  try {
    parseRules(rules);
    for (const key of Object.keys(rules)) {
      if (!["velocity", "geo_anomaly", "billing_country_mismatch", "merchant_lists", "aml"].includes(key)) throw new Error(`unknown rule ${key}`);
    }
    // Every override must itself be valid, not just fall back to defaults.
    ZVelocityConfig.parse(rules.velocity ?? {});
    ZGeoAnomalyConfig.parse(rules.geo_anomaly ?? {});
    parseAmlConfig(rules.aml);
  } catch (error) {
    throw new AppError("parameter_invalid", `rules: ${error instanceof Error ? error.message.slice(0, 500) : "invalid"}`, { param: "rules" });
  }
  await db().$transaction(async (tx) => {
    await tx.riskSettings.upsert({
      where: { merchantId: input.merchantId },
      create: { merchantId: input.merchantId, reviewThreshold, blockThreshold, rules: rules as Prisma.InputJsonValue },
      update: { reviewThreshold, blockThreshold, rules: rules as Prisma.InputJsonValue, updatedAt: new Date() },
    });
    await recordAuditEvent(
      { merchantId: input.merchantId, actor: input.actor, action: "risk_settings.updated", data: { reviewThreshold, blockThreshold, rules: rules as Prisma.InputJsonValue } },
      tx,
    );
  });
  return getRiskSettingsDto(input.merchantId);
}
