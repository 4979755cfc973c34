import { useSignal } from "@preact/signals";
import { useApp, useT } from "../context.js";
import { LocaleAndTheme } from "../components/LocaleAndTheme.js";

export function SignIn() {
  const { session } = useApp();
  const t = useT();
  const busy = useSignal(false);
  const submit = async (event: Event) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget as HTMLFormElement);
    busy.value = true;
    await session.signIn(String(form.get("email")), String(form.get("password")));
    busy.value = false;
  };
  return (
    <main class="signin">
      <form class="card signin-card" onSubmit={submit} aria-labelledby="signin-title">
        <h1 id="signin-title">{t("signInTitle")}</h1>
        {session.expired.value && (
          <p class="notice warn" role="alert">
            {t("expired")}
          </p>
        )}
        {session.error.value && (
          <p class="notice error" role="alert">
            {t("signInFailed", { message: session.error.value })}
          </p>
        )}
        <label>
          {t("email")}
          <input name="email" type="email" autocomplete="username" required />
        </label>
        <label>
          {t("password")}
          <input name="password" type="password" autocomplete="current-password" required />
        </label>
        <button type="submit" class="primary" disabled={busy.value}>
          {busy.value ? t("signingIn") : t("signIn")}
        </button>
        <LocaleAndTheme />
      </form>
    </main>
  );
}
