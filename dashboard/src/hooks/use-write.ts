/** A write a form starts: whether it is running, its error, or what it achieved, in words. */
import { useState } from 'react';

export interface Write {
  saving: boolean;
  error: Error | undefined;
  done: string | undefined;
  /** Runs `work`; on success shows `success`. True when it succeeded. */
  write: (work: () => Promise<unknown>, success: string) => Promise<boolean>;
  /** Shows an error found before writing (invalid input). */
  fail: (error: Error) => void;
}

export function useWrite(): Write {
  const [saving, setSaving] = useState(false);
  const [error, setError] = useState<Error>();
  const [done, setDone] = useState<string>();
  const write = async (work: () => Promise<unknown>, success: string) => {
    setSaving(true);
    setError(undefined);
    setDone(undefined);
    try {
      await work();
      setDone(success);
      return true;
    } catch (caught) {
      setError(caught as Error);
      return false;
    } finally {
      setSaving(false);
    }
  };
  const fail = (failure: Error) => {
    setDone(undefined);
    setError(failure);
  };
  return { saving, error, done, write, fail };
}
