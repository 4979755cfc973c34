import type { ComponentType } from "preact";
import { useEffect, useState } from "preact/hooks";
import { useT } from "../context.js";

/**
 * A screen whose code is fetched the first time it is shown (a dynamic import, so its own
 * chunk), without pulling preact/compat's lazy/Suspense into the first screen.
 */
export function lazyScreen<P extends object>(load: () => Promise<ComponentType<P>>): ComponentType<P> {
  let loaded: ComponentType<P> | null = null;
  let pending: Promise<ComponentType<P>> | null = null;
  return function LazyScreen(props: P) {
    const t = useT();
    const [, setReady] = useState(0);
    const [failure, setFailure] = useState<string | null>(null);
    useEffect(() => {
      if (loaded) return;
      pending ??= load();
      pending.then(
        (component) => {
          loaded = component;
          setReady(1);
        },
        (error: unknown) => {
          pending = null;
          setFailure(error instanceof Error ? error.message : String(error));
        },
      );
    }, []);
    if (failure) return <p role="alert">{t("error", { message: failure })}</p>;
    if (!loaded) return <p role="status">{t("loading")}</p>;
    const Screen = loaded;
    return <Screen {...props} />;
  };
}
