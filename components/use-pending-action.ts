"use client";
// The busy/error bookkeeping every dashboard form repeats around one request: run(action) marks the form
// busy, clears the last error, and shows the action's error message if it throws.
import { useCallback, useState } from "react";

export function usePendingAction() {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const run = useCallback(async (action: () => Promise<void>) => {
    setBusy(true);
    setError(null);
    try {
      await action();
    } catch (e) {
      setError((e as Error).message);
    } finally {
      setBusy(false);
    }
  }, []);
  return { busy, error, setError, run };
}
