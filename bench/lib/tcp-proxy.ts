// A small TCP proxy for the chaos harness: sits between the app and PostgreSQL on loopback, can add
// latency to every chunk (order kept per direction) and cut live connections at random.
import net from "node:net";

export type TcpProxyStats = { connections: number; cuts: number };

export type TcpProxy = {
  port: number;
  stats: TcpProxyStats;
  /** Extra delay per chunk in each direction (0 = pass-through). */
  setLatency(ms: number): void;
  /** Destroys a random fraction (0..1) of the live connections now; returns how many were cut. */
  cut(fraction: number): number;
  close(): Promise<void>;
};

type Pair = { client: net.Socket; upstream: net.Socket };

export async function startTcpProxy(options: { targetHost?: string; targetPort: number; listenPort?: number }): Promise<TcpProxy> {
  const pairs = new Set<Pair>();
  const stats: TcpProxyStats = { connections: 0, cuts: 0 };
  let latencyMs = 0;

  function forward(from: net.Socket, to: net.Socket): void {
    let lastAt = 0; // keeps chunks in order when the latency changes mid-stream
    from.on("data", (chunk) => {
      if (latencyMs <= 0 && lastAt <= Date.now()) {
        if (!to.destroyed) to.write(chunk);
        return;
      }
      const at = Math.max(Date.now() + latencyMs, lastAt);
      lastAt = at;
      setTimeout(() => {
        if (!to.destroyed) to.write(chunk);
      }, at - Date.now());
    });
  }

  const server = net.createServer((client) => {
    stats.connections++;
    const upstream = net.connect({ host: options.targetHost ?? "127.0.0.1", port: options.targetPort });
    const pair = { client, upstream };
    pairs.add(pair);
    const close = () => {
      pairs.delete(pair);
      client.destroy();
      upstream.destroy();
    };
    client.on("error", close).on("close", close);
    upstream.on("error", close).on("close", close);
    forward(client, upstream);
    forward(upstream, client);
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.listenPort ?? 0, "127.0.0.1", () => resolve());
  });
  const port = (server.address() as net.AddressInfo).port;
  return {
    port,
    stats,
    setLatency(ms) {
      latencyMs = Math.max(0, ms);
    },
    cut(fraction) {
      let cut = 0;
      for (const pair of [...pairs]) {
        if (Math.random() >= fraction) continue;
        pair.client.destroy();
        pair.upstream.destroy();
        pairs.delete(pair);
        cut++;
      }
      stats.cuts += cut;
      return cut;
    },
    close() {
      for (const pair of pairs) {
        pair.client.destroy();
        pair.upstream.destroy();
      }
      pairs.clear();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}
