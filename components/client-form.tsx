"use client";
// A form whose submit is handled in the browser. Until React has hydrated the page its controls are
// disabled: a click or keystroke before then would otherwise be lost (the browser would submit the form
// natively and reload, or the typed text would not reach React's state), and the person would see the
// form do nothing. `display: contents` keeps the form's own layout.
import type { FormHTMLAttributes } from "react";
import { useHydrated } from "./use-hydrated";

export function ClientForm({ children, ...props }: FormHTMLAttributes<HTMLFormElement>) {
  const hydrated = useHydrated();
  return (
    <form {...props} aria-busy={hydrated ? undefined : true}>
      <fieldset disabled={!hydrated} className="contents">
        {children}
      </fieldset>
    </form>
  );
}
