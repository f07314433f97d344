/**
 * A library's extension point: named hooks other code registers, read in registration order on
 * the library's hot path (the list is rebuilt on the rare registration, not on each read).
 * Registering a hook under a taken name replaces it; the returned function removes it (and does
 * nothing once another hook has replaced it). `CrudHooks` (@kwik/data) and `AuthHooks`
 * (@kwik/auth) extend it.
 *
 * @example
 * @Injectable()
 * export class MailHooks extends NamedHooks<{ name: string; onSent?(id: string): void }> {}
 */
export class NamedHooks<Hook extends { readonly name: string }> {
  private readonly hooks = new Map<string, Hook>();
  private ordered: readonly Hook[] = [];

  /** Adds a hook; returns a function that removes it. */
  register(hook: Hook): () => void {
    this.hooks.set(hook.name, hook);
    this.ordered = [...this.hooks.values()];
    return () => {
      if (this.hooks.get(hook.name) !== hook) return;
      this.hooks.delete(hook.name);
      this.ordered = [...this.hooks.values()];
    };
  }

  /** The registered hooks, in registration order. */
  list(): readonly Hook[] {
    return this.ordered;
  }
}
