// authd browser demo. The access token is kept in this closure only (never
// in localStorage or a readable cookie, where an injected script could take
// it); the refresh token is the HttpOnly cookie the browser sends by itself.
// So is the mfaToken of a login waiting for its second step.
"use strict";

window.demo = (() => {
  let access = "";
  let mfaToken = "";

  // call returns {status, code, body}; it never throws on an HTTP error.
  async function call(method, path, body, bearer) {
    const headers = {};
    if (body !== undefined) headers["Content-Type"] = "application/json";
    if (bearer && access) headers["Authorization"] = "Bearer " + access;
    const res = await fetch(path, {
      method, headers, credentials: "same-origin",
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    let data = null;
    try { data = text ? JSON.parse(text) : null; } catch { data = text; }
    return { status: res.status, code: (data && data.code) || "", body: data };
  }

  // show logs a result without the tokens and the QR image: the log is for people.
  function show(label, r) {
    let body = r.body;
    if (body && typeof body === "object") {
      body = { ...body };
      for (const k of ["accessToken", "mfaToken"]) if (body[k]) body[k] = "(kept in memory)";
      if (body.qrCode) body.qrCode = "(shown above)";
    }
    document.getElementById("log").textContent = label + " → " + r.status + "\n" + JSON.stringify(body, null, 2);
    return r;
  }

  // awaitSecondStep shows the code form while a login waits for its code.
  function awaitSecondStep(token) {
    mfaToken = token;
    document.getElementById("mfa").hidden = token === "";
  }

  async function login(email, password) {
    const r = await call("POST", "/v1/auth/login", { email, password, transport: "cookie" });
    access = r.status === 200 ? r.body.accessToken : "";
    awaitSecondStep(r.code === "MFA_REQUIRED" ? r.body.mfaToken : "");
    return show("login", r);
  }

  // verify is the second login step; the cookie comes with its answer
  // because the login asked for the cookie transport.
  async function verify(code) {
    const r = await call("POST", "/v1/auth/mfa/verify", { mfaToken, code });
    if (r.status === 200) access = r.body.accessToken;
    if (r.status === 200 || r.code === "MFA_TOKEN_INVALID") awaitSecondStep("");
    return show("verify", r);
  }

  // refresh sends no body: the cookie carries the token, and the answer
  // sets the rotated one.
  async function refresh() {
    const r = await call("POST", "/v1/auth/refresh");
    access = r.status === 200 ? r.body.accessToken : "";
    return show("refresh", r);
  }

  async function me() { return show("me", await call("GET", "/v1/auth/me", undefined, true)); }

  async function logout() {
    access = "";
    return show("logout", await call("POST", "/v1/auth/logout"));
  }

  // meAutoRefresh is what an app does: on TOKEN_EXPIRED, refresh once, retry.
  async function meAutoRefresh() {
    const r = await me();
    if (r.code !== "TOKEN_EXPIRED") return r;
    return (await refresh()).status === 200 ? me() : r;
  }

  // enroll starts a TOTP enrolment and shows its QR code (a PNG data URL
  // the server renders) and secret.
  async function enroll() {
    const r = await call("POST", "/v1/auth/mfa/totp/enroll", undefined, true);
    if (r.status === 200) {
      document.getElementById("qr").src = r.body.qrCode;
      document.getElementById("secret").textContent = r.body.secret;
      document.getElementById("enrolment").hidden = false;
    }
    return show("enroll", r);
  }

  // confirm turns MFA on; the recovery codes appear in the log, once.
  async function confirm(code) {
    const r = await call("POST", "/v1/auth/mfa/totp/confirm", { code }, true);
    if (r.status === 200) document.getElementById("enrolment").hidden = true;
    return show("confirm", r);
  }

  // The account mails' links carry a one-time token in the fragment,
  // which browsers never send to a server. It is read once and taken out
  // of the address bar and history, so it is neither shown nor kept.
  let resetToken = "";

  function takeLinkToken() {
    const m = /^#(verify|reset)=([A-Za-z0-9_-]+)$/.exec(location.hash);
    if (!m) return null;
    history.replaceState(null, "", location.pathname + location.search);
    return { kind: m[1], token: m[2] };
  }

  async function verifyEmail(token) {
    return show("verify-email", await call("POST", "/v1/auth/verify-email", { token }));
  }

  async function forgot(email) {
    return show("forgot", await call("POST", "/v1/auth/password/forgot", { email }));
  }

  // resetPassword spends the token of the #reset= link that opened the
  // page; a reset signs every session out, this page's included.
  async function resetPassword(newPassword) {
    const r = await call("POST", "/v1/auth/password/reset", { token: resetToken, newPassword });
    if (r.status === 204 || r.code === "RESET_TOKEN_INVALID") {
      resetToken = "";
      access = "";
      document.getElementById("reset").hidden = true;
    }
    return show("reset", r);
  }

  function followLink() {
    const link = takeLinkToken();
    if (!link) return;
    if (link.kind === "verify") {
      verifyEmail(link.token);
      return;
    }
    resetToken = link.token;
    document.getElementById("reset").hidden = false;
    document.getElementById("log").textContent = "Choose a new password.";
  }

  // onSubmit wires a form to fn, called with the form.
  function onSubmit(id, fn) {
    document.getElementById(id).addEventListener("submit", (ev) => {
      ev.preventDefault();
      fn(ev.target);
    });
  }

  document.addEventListener("DOMContentLoaded", () => {
    followLink();
    window.addEventListener("hashchange", followLink);
    onSubmit("forgot", (f) => forgot(f.email.value));
    onSubmit("reset", (f) => resetPassword(f.password.value));
    onSubmit("login", (f) => login(f.email.value, f.password.value));
    onSubmit("mfa", (f) => { verify(f.code.value); f.reset(); });
    onSubmit("confirm", (f) => { confirm(f.code.value); f.reset(); });
    document.getElementById("me").addEventListener("click", meAutoRefresh);
    document.getElementById("refresh").addEventListener("click", refresh);
    document.getElementById("logout").addEventListener("click", logout);
    document.getElementById("enroll").addEventListener("click", enroll);
  });

  return {
    login, verify, refresh, me, logout, meAutoRefresh, enroll, confirm, verifyEmail, forgot, resetPassword,
    hasAccessToken: () => access !== "", awaitsSecondStep: () => mfaToken !== "",
  };
})();
