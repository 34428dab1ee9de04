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

  document.addEventListener("DOMContentLoaded", () => {
    document.getElementById("login").addEventListener("submit", (ev) => {
      ev.preventDefault();
      const f = ev.target;
      login(f.email.value, f.password.value);
    });
    document.getElementById("me").addEventListener("click", meAutoRefresh);
    document.getElementById("refresh").addEventListener("click", refresh);
    document.getElementById("logout").addEventListener("click", logout);
  });

  return { login, refresh, me, logout, meAutoRefresh, hasAccessToken: () => access !== "" };
})();
