// Request and response shapes of webhook endpoints, deliveries and events.
import { z } from "zod";
import { ZListQuery } from "@/lib/api/pagination";
import { URL_LENGTH_MAX } from "./validate-endpoint-url";

export const ENABLED_EVENTS_MAX = 100;
export const ROLL_GRACE_HOURS_MAX = 7 * 24;

/** "*" or a dotted event type, e.g. "payment.captured". */
export const ZEventType = z.string().regex(/^(\*|[a-z_]+(\.[a-z_]+)+)$/, 'must be "*" or an event type such as "payment.captured"');

export const ZCreateWebhookEndpointRequest = z.strictObject({
  url: z.string().trim().min(1).max(URL_LENGTH_MAX),
  enabled_events: z.array(ZEventType).min(1, "subscribe to at least one event type (or \"*\")").max(ENABLED_EVENTS_MAX),
  description: z.string().trim().max(500).optional(),
});
export type TCreateWebhookEndpointRequest = z.infer<typeof ZCreateWebhookEndpointRequest>;

export const ZUpdateWebhookEndpointRequest = z.strictObject({
  url: z.string().trim().min(1).max(URL_LENGTH_MAX).optional(),
  enabled_events: z.array(ZEventType).min(1).max(ENABLED_EVENTS_MAX).optional(),
  description: z.string().trim().max(500).nullable().optional(),
  disabled: z.boolean().optional(),
});
export type TUpdateWebhookEndpointRequest = z.infer<typeof ZUpdateWebhookEndpointRequest>;

export const ZRollSecretRequest = z.strictObject({
  /** How long the previous secret keeps signing; 0 ends it at once. */
  expires_in_hours: z.number().int().min(0).max(ROLL_GRACE_HOURS_MAX).default(24),
});
export type TRollSecretRequest = z.infer<typeof ZRollSecretRequest>;

export const ZListEventsQuery = ZListQuery.extend({
  type: z.string().regex(/^[a-z_.*]+$/).max(100).optional(),
  object_id: z.string().min(1).max(100).optional(),
});
export type TListEventsQuery = z.infer<typeof ZListEventsQuery>;

export const ZResendEventRequest = z.strictObject({
  /** Only to this endpoint (which must be subscribed to the type, or "*"); default: every endpoint the event went to. */
  webhook_endpoint: z.string().min(1).max(100).optional(),
});
export type TResendEventRequest = z.infer<typeof ZResendEventRequest>;

/** What leaves lib/: never the secret (except once, on create and roll). */
export type WebhookEndpointDto = {
  id: string;
  object: "webhook_endpoint";
  url: string;
  description: string | null;
  enabled_events: string[];
  status: "enabled" | "disabled";
  /** When the previous secret (after a roll) stops signing; null when there is none. */
  previous_secret_expires: string | null;
  created: string;
};

export type WebhookEndpointWithSecretDto = WebhookEndpointDto & { secret: string };

export type WebhookAttemptDto = {
  id: string;
  object: "webhook_delivery_attempt";
  attempt_number: number;
  trigger: "automatic" | "manual" | "test";
  succeeded: boolean;
  status_code: number | null;
  latency_ms: number;
  response_excerpt: string | null;
  error: string | null;
  created: string;
};

export type WebhookDeliveryDto = {
  id: string;
  object: "webhook_delivery";
  event: string;
  event_type: string;
  webhook_endpoint: string;
  status: "pending" | "succeeded" | "failed";
  attempt_count: number;
  next_attempt: string | null;
  last_status_code: number | null;
  last_error: string | null;
  delivered: string | null;
  created: string;
  attempts?: WebhookAttemptDto[];
};
