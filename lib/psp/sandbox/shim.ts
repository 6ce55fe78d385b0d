// Stripe.js-compatible shim (window.Stripe), the card-entry iframe, the hosted 3DS page and a receipt page.
// Card numbers are typed into an iframe served from the sandbox's origin and posted from there straight to the
// sandbox API with the publishable key, so they never touch the merchant's page or server.

const MESSAGE_SOURCE = "settle-psp-sandbox";

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c] as string);
}

export function stripeJsSource(baseUrl: string): string {
  return `/* Settle PSP sandbox — Stripe.js shim (subset). Never load this in production. */
(function () {
  "use strict";
  var BASE = ${JSON.stringify(baseUrl)};
  var SOURCE = ${JSON.stringify(MESSAGE_SOURCE)};
  var seq = 0;
  var pendingReplies = {};
  var elementsById = {};

  window.addEventListener("message", function (event) {
    if (event.origin !== BASE) return;
    var data = event.data || {};
    if (data.source !== SOURCE) return;
    if (data.replyTo && pendingReplies[data.replyTo]) {
      var resolve = pendingReplies[data.replyTo];
      delete pendingReplies[data.replyTo];
      resolve(data.payload);
      return;
    }
    var element = elementsById[data.elementId];
    if (element) element._receive(data.type, data.payload || {});
  });

  function form(obj, prefix, out) {
    out = out || [];
    Object.keys(obj).forEach(function (key) {
      var value = obj[key];
      var name = prefix ? prefix + "[" + key + "]" : key;
      if (value === undefined) return;
      if (value !== null && typeof value === "object") form(value, name, out);
      else out.push(encodeURIComponent(name).replace(/%5B/g, "[").replace(/%5D/g, "]") + "=" + encodeURIComponent(value === null ? "" : String(value)));
    });
    return out.join("&");
  }

  function api(pk, method, path, params) {
    var body = form(params || {});
    var url = BASE + path + (method === "GET" && body ? "?" + body : "");
    return fetch(url, {
      method: method,
      headers: { Authorization: "Bearer " + pk, "Content-Type": "application/x-www-form-urlencoded" },
      body: method === "GET" ? undefined : body,
    }).then(function (response) {
      return response.json().then(function (json) { return { status: response.status, body: json }; });
    }, function () {
      return { status: 0, body: { error: { type: "api_connection_error", message: "Could not reach the PSP sandbox." } } };
    });
  }

  function piIdFromSecret(clientSecret) {
    return String(clientSecret || "").split("_secret_")[0];
  }

  function validationError(code, message) {
    return { type: "validation_error", code: code, message: message };
  }

  function run3ds(pi, clientSecret) {
    return new Promise(function (resolve) {
      var overlay = document.createElement("div");
      overlay.setAttribute("data-testid", "psp-sandbox-3ds-modal");
      overlay.style.cssText = "position:fixed;inset:0;background:rgba(0,0,0,.5);display:flex;align-items:center;justify-content:center;z-index:2147483647";
      var frame = document.createElement("iframe");
      frame.name = "psp-sandbox-3ds";
      frame.title = "3D Secure authentication (sandbox)";
      frame.style.cssText = "width:420px;height:360px;border:0;border-radius:8px;background:#fff";
      frame.src = BASE + "/_sandbox/3ds/" + encodeURIComponent(pi.id) + "?embedded=1&client_secret=" + encodeURIComponent(clientSecret);
      overlay.appendChild(frame);
      document.body.appendChild(overlay);
      function onMessage(event) {
        if (event.origin !== BASE || !event.data || event.data.source !== SOURCE || event.data.type !== "3ds-result") return;
        window.removeEventListener("message", onMessage);
        overlay.remove();
        resolve(event.data.payload);
      }
      window.addEventListener("message", onMessage);
    });
  }

  function errorFromIntent(pi) {
    var e = pi.last_payment_error || { type: "card_error", message: "The payment failed." };
    var copy = {};
    Object.keys(e).forEach(function (k) { copy[k] = e[k]; });
    copy.payment_intent = pi;
    return copy;
  }

  function finish(pk, clientSecret, result, options) {
    if (result.status >= 400 || !result.body || result.body.error) {
      return Promise.resolve({ error: (result.body && result.body.error) || { type: "api_error", message: "Unknown error" } });
    }
    var pi = result.body;
    var step = Promise.resolve(pi);
    if (pi.status === "requires_action") {
      step = run3ds(pi, clientSecret).then(function () {
        return api(pk, "GET", "/v1/payment_intents/" + pi.id, { client_secret: clientSecret }).then(function (r) { return r.body; });
      });
    }
    return step.then(function (latest) {
      if (latest.error) return { error: latest.error };
      if (latest.status === "requires_payment_method") return { error: errorFromIntent(latest) };
      var redirectable = ["succeeded", "processing", "requires_capture"].indexOf(latest.status) !== -1;
      if (options.redirect === "always" && options.returnUrl && redirectable) {
        var sep = options.returnUrl.indexOf("?") === -1 ? "?" : "&";
        window.location.assign(options.returnUrl + sep + "payment_intent=" + encodeURIComponent(latest.id) +
          "&payment_intent_client_secret=" + encodeURIComponent(clientSecret) +
          "&redirect_status=" + (latest.status === "processing" ? "processing" : "succeeded"));
        return new Promise(function () {});
      }
      return { paymentIntent: latest };
    });
  }

  function Element(group, type, options) {
    var self = this;
    this.id = "el_" + (++seq);
    this.type = type;
    this.options = options || {};
    this.group = group;
    this.handlers = {};
    this.state = { empty: true, complete: false, error: undefined };
    this.frame = null;
    this.readyPromise = null;
    elementsById[this.id] = this;
    this._receive = function (kind, payload) {
      if (kind === "change") self.state = payload;
      if (kind === "ready" && self._onReady) self._onReady();
      var payloadOut = kind === "change" ? Object.assign({ elementType: type, value: { type: "card" } }, payload) : { elementType: type };
      (self.handlers[kind] || []).slice().forEach(function (h) { h(payloadOut); });
    };
  }
  Element.prototype.mount = function (target) {
    var node = typeof target === "string" ? document.querySelector(target) : target;
    if (!node) throw new Error("Sandbox Stripe.js: mount target not found: " + target);
    var self = this;
    this.readyPromise = new Promise(function (resolve) { self._onReady = resolve; });
    var frame = document.createElement("iframe");
    frame.name = "__privateStripeFrame_sandbox_" + this.id;
    frame.title = "Secure card payment input frame (sandbox)";
    frame.setAttribute("data-testid", "psp-sandbox-card-frame");
    frame.style.cssText = "width:100%;height:" + (this.type === "payment" ? "190px" : "120px") + ";border:0";
    frame.src = BASE + "/_sandbox/elements/card?elementId=" + encodeURIComponent(this.id) + "&type=" + encodeURIComponent(this.type) +
      "&parentOrigin=" + encodeURIComponent(window.location.origin);
    node.innerHTML = "";
    node.appendChild(frame);
    this.frame = frame;
    return this;
  };
  Element.prototype._call = function (type, payload) {
    var frame = this.frame;
    var self = this;
    if (!frame) return Promise.resolve({ error: validationError("element_not_mounted", "The element is not mounted.") });
    return this.readyPromise.then(function () {
      return new Promise(function (resolve) {
        var id = "msg_" + (++seq);
        pendingReplies[id] = resolve;
        frame.contentWindow.postMessage({ source: SOURCE, type: type, id: id, elementId: self.id, payload: payload }, BASE);
      });
    });
  };
  Element.prototype.on = function (name, handler) { (this.handlers[name] = this.handlers[name] || []).push(handler); return this; };
  Element.prototype.once = function (name, handler) {
    var self = this;
    function wrapper(e) { self.off(name, wrapper); handler(e); }
    return this.on(name, wrapper);
  };
  Element.prototype.off = function (name, handler) {
    if (!handler) delete this.handlers[name];
    else this.handlers[name] = (this.handlers[name] || []).filter(function (h) { return h !== handler; });
    return this;
  };
  Element.prototype.unmount = function () { if (this.frame) this.frame.remove(); this.frame = null; };
  Element.prototype.destroy = function () { this.unmount(); delete elementsById[this.id]; delete this.group.byType[this.type]; };
  Element.prototype.update = function (options) { Object.assign(this.options, options || {}); };
  Element.prototype.focus = function () { this._call("focus", {}); };
  Element.prototype.blur = function () { this._call("blur", {}); };
  Element.prototype.clear = function () { this._call("clear", {}); };
  Element.prototype.collapse = function () {};

  function Elements(stripe, options) {
    this.stripe = stripe;
    this.options = options || {};
    this.byType = {};
    this.handlers = {};
  }
  Elements.prototype.create = function (type, options) {
    if (["payment", "card", "cardNumber", "address", "expressCheckout", "linkAuthentication"].indexOf(type) === -1) {
      throw new Error("Sandbox Stripe.js does not support element type " + type);
    }
    var element = new Element(this, type, options);
    this.byType[type] = element;
    return element;
  };
  Elements.prototype.getElement = function (type) { return this.byType[type] || null; };
  Elements.prototype.update = function (options) { Object.assign(this.options, options || {}); };
  Elements.prototype.fetchUpdates = function () { return Promise.resolve({}); };
  Elements.prototype.on = function () { return this; };
  Elements.prototype.off = function () { return this; };
  Elements.prototype._cardElement = function () { return this.byType.payment || this.byType.card || this.byType.cardNumber || null; };
  Elements.prototype.submit = function () {
    var element = this._cardElement();
    if (!element) return Promise.resolve({ error: validationError("incomplete", "No payment element is mounted.") });
    return element._call("validate", {}).then(function (r) { return r && r.error ? { error: r.error } : {}; });
  };

  function createInstance(pk, options) {
    if (typeof pk !== "string" || pk.indexOf("pk_test_") !== 0) {
      throw new Error("Sandbox Stripe.js needs a pk_test_ publishable key.");
    }
    var instance = {
      _pk: pk,
      _options: options || {},
      elements: function (opts) { return new Elements(instance, opts); },
      retrievePaymentIntent: function (clientSecret) {
        return api(pk, "GET", "/v1/payment_intents/" + piIdFromSecret(clientSecret), { client_secret: clientSecret }).then(function (r) {
          return r.body.error ? { error: r.body.error } : { paymentIntent: r.body };
        });
      },
      confirmPayment: function (opts) {
        opts = opts || {};
        var elements = opts.elements;
        var clientSecret = opts.clientSecret || (elements && elements.options.clientSecret);
        var confirmParams = opts.confirmParams || {};
        var redirect = opts.redirect || "always";
        if (!clientSecret) return Promise.resolve({ error: { type: "invalid_request_error", message: "confirmPayment needs a clientSecret (from elements() or the call)." } });
        if (redirect === "always" && !confirmParams.return_url) {
          return Promise.resolve({ error: { type: "invalid_request_error", message: "confirmParams.return_url is required when redirect is 'always'." } });
        }
        var element = elements && elements._cardElement();
        var extra = { return_url: confirmParams.return_url, receipt_email: confirmParams.receipt_email };
        var call = element
          ? element._call("confirm", { pk: pk, clientSecret: clientSecret, extra: extra, billing_details: (confirmParams.payment_method_data || {}).billing_details })
          : api(pk, "POST", "/v1/payment_intents/" + piIdFromSecret(clientSecret) + "/confirm", Object.assign({ client_secret: clientSecret, use_stripe_sdk: true }, extra));
        return call.then(function (result) { return finish(pk, clientSecret, result, { redirect: redirect, returnUrl: confirmParams.return_url }); });
      },
      confirmCardPayment: function (clientSecret, data, opts) {
        data = data || {};
        var pm = data.payment_method;
        var call;
        if (pm && typeof pm === "object" && pm.card instanceof Element) {
          call = pm.card._call("confirm", { pk: pk, clientSecret: clientSecret, extra: { return_url: data.return_url }, billing_details: pm.billing_details });
        } else {
          var params = { client_secret: clientSecret, use_stripe_sdk: true, return_url: data.return_url };
          if (typeof pm === "string") params.payment_method = pm;
          call = api(pk, "POST", "/v1/payment_intents/" + piIdFromSecret(clientSecret) + "/confirm", params);
        }
        return call.then(function (result) { return finish(pk, clientSecret, result, { redirect: "if_required" }); });
      },
      handleNextAction: function (opts) {
        var clientSecret = opts && opts.clientSecret;
        return api(pk, "GET", "/v1/payment_intents/" + piIdFromSecret(clientSecret), { client_secret: clientSecret }).then(function (r) {
          return finish(pk, clientSecret, r, { redirect: "if_required" });
        });
      },
      handleCardAction: function (clientSecret) { return instance.handleNextAction({ clientSecret: clientSecret }); },
      createPaymentMethod: function (opts) {
        opts = opts || {};
        var element = opts.card || (opts.elements && opts.elements._cardElement()) || (opts.params && opts.params.card);
        if (!(element instanceof Element)) return Promise.resolve({ error: { type: "invalid_request_error", message: "createPaymentMethod needs a mounted card or payment element." } });
        var billing = opts.billing_details || (opts.params && opts.params.billing_details);
        return element._call("createPaymentMethod", { pk: pk, billing_details: billing }).then(function (r) {
          return r.body.error ? { error: r.body.error } : { paymentMethod: r.body };
        });
      },
      createToken: function () { return Promise.resolve({ error: { type: "invalid_request_error", code: "unsupported", message: "Tokens are not supported by the sandbox; use PaymentMethods." } }); },
      confirmSetup: function () { return Promise.resolve({ error: { type: "invalid_request_error", code: "unsupported", message: "SetupIntents are not supported by the sandbox." } }); },
      confirmCardSetup: function () { return Promise.resolve({ error: { type: "invalid_request_error", code: "unsupported", message: "SetupIntents are not supported by the sandbox." } }); },
      retrieveSetupIntent: function () { return Promise.resolve({ error: { type: "invalid_request_error", code: "unsupported", message: "SetupIntents are not supported by the sandbox." } }); },
      registerAppInfo: function () {},
      _registerWrapper: function () {},
    };
    return instance;
  }

  function Stripe(pk, options) { return createInstance(pk, options); }
  Stripe.version = "endive";
  Stripe.sandbox = { baseUrl: BASE };
  window.Stripe = Stripe;
})();
`;
}

export function cardElementPage(baseUrl: string): string {
  return `<!doctype html>
<html><head><meta charset="utf-8"><title>Sandbox card input</title>
<style>
body{font:14px system-ui,sans-serif;margin:0;padding:6px;color:#1a1a1a}
.row{display:flex;gap:6px;margin-bottom:6px}
input,select{flex:1;padding:8px;border:1px solid #c4c4c4;border-radius:4px;font:inherit;min-width:0}
.marker{font-size:11px;color:#b45309;font-weight:600;letter-spacing:.05em}
.error{color:#b91c1c;font-size:12px;min-height:16px}
</style></head>
<body>
<div class="marker" data-testid="psp-sandbox-marker">SANDBOX — test cards only</div>
<div class="row"><select data-testid="psp-sandbox-scenario" aria-label="Test scenario">
<option value="">Choose a test card…</option>
<option value="4242424242424242">Visa — succeeds</option>
<option value="4000002760003184">3DS required</option>
<option value="4000000000000002">Generic decline</option>
<option value="4000000000009995">Insufficient funds</option>
<option value="4000000000000069">Expired card</option>
<option value="4000000000000127">Incorrect CVC</option>
<option value="4000000000000119">Processing error</option>
<option value="4100000000000019">Fraudulent (blocked)</option>
<option value="4000000000000259">Dispute after capture</option>
<option value="4000000000005126">Refund fails later</option>
</select></div>
<div class="row"><input data-testid="card-number" name="cardnumber" autocomplete="cc-number" inputmode="numeric" placeholder="Card number" aria-label="Card number"></div>
<div class="row">
<input data-testid="card-expiry" name="exp-date" autocomplete="cc-exp" placeholder="MM / YY" aria-label="Expiration date">
<input data-testid="card-cvc" name="cvc" autocomplete="cc-csc" inputmode="numeric" placeholder="CVC" aria-label="CVC">
<input data-testid="card-postal" name="postal" autocomplete="postal-code" placeholder="ZIP" aria-label="ZIP">
</div>
<div class="error" data-testid="card-error" role="alert"></div>
<script>
(function () {
  var BASE = ${JSON.stringify(baseUrl)};
  var SOURCE = ${JSON.stringify(MESSAGE_SOURCE)};
  var query = new URLSearchParams(location.search);
  var elementId = query.get("elementId");
  var parentOrigin = query.get("parentOrigin") || "*";
  var number = document.querySelector('[data-testid="card-number"]');
  var expiry = document.querySelector('[data-testid="card-expiry"]');
  var cvc = document.querySelector('[data-testid="card-cvc"]');
  var postal = document.querySelector('[data-testid="card-postal"]');
  var errorBox = document.querySelector('[data-testid="card-error"]');
  var scenario = document.querySelector('[data-testid="psp-sandbox-scenario"]');

  function post(type, payload, replyTo) {
    parent.postMessage({ source: SOURCE, type: type, elementId: elementId, payload: payload, replyTo: replyTo }, parentOrigin);
  }
  function digits(v) { return (v || "").replace(/\\D/g, ""); }
  function luhn(n) {
    var sum = 0;
    for (var i = 0; i < n.length; i++) {
      var d = Number(n[n.length - 1 - i]);
      if (i % 2 === 1) { d *= 2; if (d > 9) d -= 9; }
      sum += d;
    }
    return n.length >= 12 && sum % 10 === 0;
  }
  function brand(n) {
    if (/^4/.test(n)) return "visa";
    if (/^(5[1-5]|2[2-7])/.test(n)) return "mastercard";
    if (/^3[47]/.test(n)) return "amex";
    if (/^6/.test(n)) return "discover";
    return "unknown";
  }
  function parseExpiry() {
    var d = digits(expiry.value);
    return { month: Number(d.slice(0, 2)), year: Number(d.slice(2, 4)), complete: d.length >= 4 };
  }
  function validate() {
    var n = digits(number.value);
    var e = parseExpiry();
    var c = digits(cvc.value);
    var now = new Date();
    if (n.length < 12) return { code: "incomplete_number", message: "Your card number is incomplete." };
    if (!luhn(n)) return { code: "invalid_number", message: "Your card number is invalid." };
    if (!e.complete) return { code: "incomplete_expiry", message: "Your card's expiration date is incomplete." };
    if (e.month < 1 || e.month > 12) return { code: "invalid_expiry_month", message: "Your card's expiration month is invalid." };
    var year = 2000 + e.year;
    if (year < now.getFullYear() || (year === now.getFullYear() && e.month < now.getMonth() + 1)) {
      return { code: "invalid_expiry_year_past", message: "Your card's expiration year is in the past." };
    }
    if (c.length < (brand(n) === "amex" ? 4 : 3)) return { code: "incomplete_cvc", message: "Your card's security code is incomplete." };
    if (!digits(postal.value) && !postal.value.trim()) return { code: "incomplete_zip", message: "Your postal code is incomplete." };
    return null;
  }
  function change() {
    var error = validate();
    var empty = !number.value && !expiry.value && !cvc.value;
    var shown = error && !empty && error.code.indexOf("invalid") === 0 ? error : undefined;
    errorBox.textContent = shown ? shown.message : "";
    post("change", { empty: empty, complete: !error, brand: brand(digits(number.value)), error: shown ? { type: "validation_error", code: shown.code, message: shown.message } : undefined });
  }
  [number, expiry, cvc, postal].forEach(function (input) {
    input.addEventListener("input", change);
    input.addEventListener("focus", function () { post("focus", {}); });
    input.addEventListener("blur", function () { post("blur", {}); });
  });
  scenario.addEventListener("change", function () {
    if (!scenario.value) return;
    number.value = scenario.value;
    expiry.value = "12 / " + String((new Date().getFullYear() + 3) % 100);
    cvc.value = "123";
    postal.value = "10001";
    change();
  });
  function form(obj, prefix, out) {
    out = out || [];
    Object.keys(obj).forEach(function (key) {
      var value = obj[key];
      var name = prefix ? prefix + "[" + key + "]" : key;
      if (value === undefined) return;
      if (value !== null && typeof value === "object") form(value, name, out);
      else out.push(name + "=" + encodeURIComponent(value === null ? "" : String(value)));
    });
    return out.join("&");
  }
  function cardData(billing) {
    var e = parseExpiry();
    var details = Object.assign({}, billing || {});
    details.address = Object.assign({ postal_code: postal.value.trim() }, details.address || {});
    return { type: "card", card: { number: digits(number.value), exp_month: e.month, exp_year: 2000 + e.year, cvc: digits(cvc.value) }, billing_details: details };
  }
  function call(pk, method, path, params) {
    return fetch(BASE + path, { method: method, headers: { Authorization: "Bearer " + pk, "Content-Type": "application/x-www-form-urlencoded" }, body: form(params) })
      .then(function (r) { return r.json().then(function (body) { return { status: r.status, body: body }; }); })
      .catch(function () { return { status: 0, body: { error: { type: "api_connection_error", message: "Could not reach the PSP sandbox." } } }; });
  }
  window.addEventListener("message", function (event) {
    var data = event.data || {};
    if (data.source !== SOURCE || data.elementId !== elementId) return;
    var payload = data.payload || {};
    var error = validate();
    if (data.type === "validate") return post("reply", error ? { error: { type: "validation_error", code: error.code, message: error.message } } : {}, data.id);
    if (data.type === "focus") return number.focus();
    if (data.type === "blur") return number.blur();
    if (data.type === "clear") { number.value = expiry.value = cvc.value = postal.value = ""; return change(); }
    if (error) return post("reply", { status: 400, body: { error: { type: "validation_error", code: error.code, message: error.message } } }, data.id);
    if (data.type === "confirm") {
      var piId = String(payload.clientSecret).split("_secret_")[0];
      var params = Object.assign({ client_secret: payload.clientSecret, use_stripe_sdk: true, payment_method_data: cardData(payload.billing_details) }, payload.extra || {});
      return call(payload.pk, "POST", "/v1/payment_intents/" + encodeURIComponent(piId) + "/confirm", params).then(function (r) { post("reply", r, data.id); });
    }
    if (data.type === "createPaymentMethod") {
      return call(payload.pk, "POST", "/v1/payment_methods", cardData(payload.billing_details)).then(function (r) { post("reply", r, data.id); });
    }
  });
  post("ready", {});
})();
</script>
</body></html>`;
}

export function threeDsPage(baseUrl: string, piId: string, clientSecret: string, returnUrl: string | null): string {
  return `<!doctype html>
<html><head><meta charset="utf-8"><title>3D Secure test page (sandbox)</title>
<style>body{font:15px system-ui,sans-serif;padding:24px;text-align:center}button{font:inherit;padding:10px 18px;margin:8px;border-radius:6px;border:1px solid #888;cursor:pointer}
#complete{background:#16a34a;color:#fff;border-color:#15803d}#fail{background:#fff}</style></head>
<body>
<p><strong>SANDBOX</strong> — 3D Secure 2 test payment page</p>
<p>Payment <code>${escapeHtml(piId)}</code> requires authentication.</p>
<button id="complete" data-testid="3ds-complete">Complete authentication</button>
<button id="fail" data-testid="3ds-fail">Fail authentication</button>
<p id="status" role="status"></p>
<script>
(function () {
  var BASE = ${JSON.stringify(baseUrl)};
  var SOURCE = ${JSON.stringify(MESSAGE_SOURCE)};
  var PI = ${JSON.stringify(piId)};
  var SECRET = ${JSON.stringify(clientSecret)};
  var RETURN_URL = ${JSON.stringify(returnUrl)};
  var embedded = new URLSearchParams(location.search).get("embedded") === "1" || window.parent !== window;
  function act(outcome) {
    document.getElementById("status").textContent = "Submitting…";
    fetch(BASE + "/_sandbox/3ds/" + encodeURIComponent(PI) + "/" + outcome, {
      method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify({ client_secret: SECRET })
    }).then(function (r) { return r.json(); }).then(function (pi) {
      if (embedded) { window.parent.postMessage({ source: SOURCE, type: "3ds-result", payload: { outcome: outcome, status: pi.status } }, "*"); return; }
      if (RETURN_URL) {
        var status = pi.status === "succeeded" || pi.status === "requires_capture" ? "succeeded" : pi.status === "processing" ? "processing" : "failed";
        var sep = RETURN_URL.indexOf("?") === -1 ? "?" : "&";
        location.assign(RETURN_URL + sep + "payment_intent=" + encodeURIComponent(PI) + "&payment_intent_client_secret=" + encodeURIComponent(SECRET) + "&redirect_status=" + status);
        return;
      }
      document.getElementById("status").textContent = "Done: " + pi.status;
    });
  }
  document.getElementById("complete").onclick = function () { act("complete"); };
  document.getElementById("fail").onclick = function () { act("fail"); };
})();
</script>
</body></html>`;
}

export function receiptPage(charge: Record<string, any>): string {
  return `<!doctype html><html><head><meta charset="utf-8"><title>Receipt ${escapeHtml(charge.id)}</title></head>
<body style="font:15px system-ui,sans-serif;padding:24px"><h1>Receipt (sandbox)</h1>
<p>Charge <code>${escapeHtml(charge.id)}</code>: ${escapeHtml(String(charge.amount))} ${escapeHtml(String(charge.currency).toUpperCase())} (minor units), status ${escapeHtml(charge.status)}, refunded ${escapeHtml(String(charge.amount_refunded))}.</p>
</body></html>`;
}
