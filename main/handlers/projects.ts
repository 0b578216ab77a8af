import type { ApiHandlers } from '../../shared/api/index.js';
import type { CoreContext } from '../core.js';
import { ProjectStore } from '../store/index.js';

export function projectHandlers(ctx: CoreContext): ApiHandlers['projects'] {
  return {
    async create({ dir, name }) {
      const store = ProjectStore.create(dir, name);
      await ctx.closeProject();
      ctx.store = store;
      const info = store.info();
      ctx.recent.touch(info.dir, info.name);
      return info;
    },
    async open({ dir }) {
      const store = ProjectStore.open(dir);
      await ctx.closeProject();
      ctx.store = store;
      const info = store.info();
      ctx.recent.touch(info.dir, info.name);
      return info;
    },
    async close() {
      await ctx.closeProject();
    },
    async current() {
      return ctx.store?.info() ?? null;
    },
    async recent() {
      return ctx.recent.list();
    },
  };
}
