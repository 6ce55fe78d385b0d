// Reconciliation's two non-JSON routes (a streamed CSV export, a streamed CSV upload) reuse the API
// wrapper for authentication, scopes, request id, logging and the error shape: the wrapper runs on a
// body-less copy of the request, and the handler gets the original body stream / returns a stream.
import type { z } from "zod";
import { type ApiContext, type ApiOptions, withApi } from "@/lib/api/with-api";

type RouteContext = { params?: Promise<Record<string, string | string[]>> };
type Infer<T> = T extends z.ZodType ? z.infer<T> : undefined;

/** GET returning a stream: the wrapper's response is used only when the handler failed. */
export function withApiStream<TQuery extends z.ZodType | undefined = undefined>(
  options: Omit<ApiOptions<undefined, TQuery>, "body" | "idempotency">,
  handler: (context: ApiContext<undefined, Infer<TQuery>>) => Promise<{ stream: ReadableStream<Uint8Array>; contentType: string; filename: string }>,
) {
  return async (request: Request, routeContext?: RouteContext): Promise<Response> => {
    let produced: Awaited<ReturnType<typeof handler>> | null = null;
    const response = await withApi(options, async (context) => {
      produced = await handler(context);
      return { ok: true };
    })(request, routeContext);
    if (!produced || response.status !== 200) return response;
    const { stream, contentType, filename } = produced as Awaited<ReturnType<typeof handler>>;
    return new Response(stream, {
      status: 200,
      headers: {
        "content-type": contentType,
        "content-disposition": `attachment; filename="${filename}"`,
        "cache-control": "no-store",
        "request-id": response.headers.get("request-id") ?? "",
      },
    });
  };
}

/**
 * POST whose body is not JSON (text/csv): the wrapper authenticates a copy without a body, the
 * handler reads the original stream. A JSON body goes through the wrapper unchanged.
 */
export function withApiRawBody<TQuery extends z.ZodType | undefined = undefined, TResult = unknown>(
  options: Omit<ApiOptions<undefined, TQuery>, "body" | "idempotency">,
  handler: (context: ApiContext<undefined, Infer<TQuery>> & { rawBody: ReadableStream<Uint8Array> | null; contentType: string }) => Promise<TResult>,
) {
  return async (request: Request, routeContext?: RouteContext): Promise<Response> => {
    const headers = new Headers(request.headers);
    headers.delete("content-length");
    headers.delete("content-type");
    const shell = new Request(request.url, { method: request.method, headers });
    const contentType = request.headers.get("content-type") ?? "";
    return withApi(options, (context) => handler({ ...context, rawBody: request.body, contentType }))(shell, routeContext);
  };
}
