// Webhook URL policy: schemes, credentials, loopback/private ranges, production rules.
import { describe, expect, test } from "vitest";
import { classifyAddress, urlPolicyFor, validateEndpointUrl } from "./validate-endpoint-url";

const development = { production: false, allowPrivateNetworks: false };
const production = { production: true, allowPrivateNetworks: false };

describe("classifyAddress", () => {
  test.each([
    ["127.0.0.1", "loopback"], ["::1", "loopback"], ["::ffff:127.0.0.1", "loopback"],
    ["10.1.2.3", "private"], ["172.16.0.1", "private"], ["172.31.255.255", "private"], ["192.168.1.1", "private"],
    ["169.254.169.254", "private"], ["100.64.0.1", "private"], ["0.0.0.0", "private"], ["fd00::1", "private"], ["fe80::1", "private"], ["::", "private"],
    ["172.32.0.1", "public"], ["8.8.8.8", "public"], ["2606:4700::1111", "public"],
  ] as const)("%s is %s", (ip, kind) => {
    expect(classifyAddress(ip)).toBe(kind);
  });
});

describe("validateEndpointUrl", () => {
  test("development: http and https, loopback allowed", () => {
    expect(validateEndpointUrl("http://127.0.0.1:4567/hook", development)).toBe("http://127.0.0.1:4567/hook");
    expect(validateEndpointUrl("http://localhost:4567/hook", development)).toBe("http://localhost:4567/hook");
    expect(validateEndpointUrl("https://shop.example.com/settle", development)).toBe("https://shop.example.com/settle");
  });

  test.each([
    ["ftp://shop.example.com/x", development, /https/],
    ["not a url", development, /valid absolute URL/],
    ["https://user:pass@shop.example.com/x", development, /credentials/],
    ["http://10.0.0.5/x", development, /private/],
    ["http://[fd00::1]/x", development, /private/],
    ["http://169.254.169.254/latest/meta-data", development, /private/],
    ["http://intranet/x", development, /fully qualified/],
    ["http://shop.example.com/x", production, /https/],
    ["https://127.0.0.1/x", production, /loopback/],
    ["https://localhost/x", production, /loopback/],
  ] as const)("refuses %s", (url, policy, message) => {
    expect(() => validateEndpointUrl(url, policy)).toThrow(message);
  });

  test("private networks when the operator allows them", () => {
    expect(validateEndpointUrl("https://10.0.0.5/x", { production: true, allowPrivateNetworks: true })).toBe("https://10.0.0.5/x");
  });
});

describe("urlPolicyFor", () => {
  test.each([
    ["production", "https://pay.shop.example", false, true],
    ["production", "http://localhost:3000", false, false],
    ["production", "http://127.0.0.1:3000", false, false],
    ["development", "https://pay.shop.example", false, false],
    ["test", "http://localhost:3000", true, false],
  ] as const)("NODE_ENV=%s APP_URL=%s", (nodeEnv, appUrl, allowPrivate, production) => {
    expect(urlPolicyFor({ NODE_ENV: nodeEnv, APP_URL: appUrl, WEBHOOK_ALLOW_PRIVATE_NETWORKS: allowPrivate })).toEqual({ production, allowPrivateNetworks: allowPrivate });
  });
});
