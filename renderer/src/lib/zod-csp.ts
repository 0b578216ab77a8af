/**
 * The api contract's zod schemas are bundled with the client. Zod probes `new Function` when a
 * schema is built; under our CSP (no 'unsafe-eval') that probe is reported as a violation even
 * though zod catches it. Jitless mode skips the probe. Must be imported before anything else.
 */
import { config } from 'zod';

config({ jitless: true });
