// authd browser demo. The access token is kept in this closure only (never
// in localStorage or a readable cookie, where an injected script could take
// it); the refresh token is the HttpOnly cookie the browser sends by itself.
"use strict";

window.demo = (() => {
  let access = "";

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

  // show logs a result without the access token: the log is for people.
  function show(label, r) {
    const body = r.body && r.body.accessToken ? { ...r.body, accessToken: "(kept in memory)" } : r.body;
    document.getElementById("log").textContent = label + " → " + r.status + "\n" + JSON.stringify(body, null, 2);
    return r;
  }

  async function login(email, password) {
    const r = await call("POST", "/v1/auth/login", { email, password, transport: "cookie" });
    access = r.status === 200 ? r.body.accessToken : "";
    return show("login", r);
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

  document.addEventListener("DOMContentLoaded", () => {
    followLink();
    window.addEventListener("hashchange", followLink);
    document.getElementById("forgot").addEventListener("submit", (ev) => {
      ev.preventDefault();
      forgot(ev.target.email.value);
    });
    document.getElementById("reset").addEventListener("submit", (ev) => {
      ev.preventDefault();
      resetPassword(ev.target.password.value);
    });
    document.getElementById("login").addEventListener("submit", (ev) => {
      ev.preventDefault();
      const f = ev.target;
      login(f.email.value, f.password.value);
    });
    document.getElementById("me").addEventListener("click", meAutoRefresh);
    document.getElementById("refresh").addEventListener("click", refresh);
    document.getElementById("logout").addEventListener("click", logout);
  });

  return {
    login, refresh, me, logout, meAutoRefresh, verifyEmail, forgot, resetPassword,
    hasAccessToken: () => access !== "",
  };
})();
