/**
 * Generates a J1-shaped CSV: hourly rows in the layout of the Beijing PM2.5 data set
 * (date, pollution, dew, temp, press, wnd_dir, wnd_spd, snow, rain), with pollution that
 * depends on its own past and on the weather, so a model has something real to learn.
 */
import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import { mulberry32 } from '../shared/random.js';

const DIRS = ['NE', 'NW', 'SE', 'cv'] as const;

export const J1_HEADER = 'date,pollution,dew,temp,press,wnd_dir,wnd_spd,snow,rain';

export function* j1Rows(hours: number, seed = 1): Generator<string> {
  const rnd = mulberry32(seed);
  const gauss = () => Math.sqrt(-2 * Math.log(rnd() + 1e-12)) * Math.cos(2 * Math.PI * rnd());
  let pollution = 80;
  let wndSpd = 2;
  let dir: (typeof DIRS)[number] = 'SE';
  const start = Date.UTC(2010, 0, 2, 0);
  for (let h = 0; h < hours; h++) {
    const day = (h / 24) % 365;
    const season = Math.cos((2 * Math.PI * day) / 365);
    const hourOfDay = h % 24;
    const temp = -2 + 14 * -season + 5 * Math.sin((2 * Math.PI * (hourOfDay - 9)) / 24) + gauss() * 2;
    const dew = temp - 8 - 4 * rnd();
    const press = 1016 + 10 * season + gauss() * 3;
    if (rnd() < 0.08) dir = DIRS[Math.floor(rnd() * DIRS.length)]!;
    wndSpd = Math.max(0.4, dir === 'cv' ? wndSpd * 0.7 + 0.3 : wndSpd * 0.8 + rnd() * 4);
    const clean = dir === 'NW' || dir === 'NE' ? wndSpd * 2.5 : 0;
    pollution = Math.max(0, 0.92 * pollution + 10 + 25 * (dew > -5 ? 1 : 0) - clean + gauss() * 12);
    const snow = temp < 0 && rnd() < 0.03 ? Math.floor(rnd() * 5) : 0;
    const rain = temp >= 0 && rnd() < 0.05 ? Math.floor(rnd() * 6) : 0;
    const date = new Date(start + h * 3600_000).toISOString().replace('T', ' ').slice(0, 19);
    yield `${date},${pollution.toFixed(1)},${dew.toFixed(0)},${temp.toFixed(1)},${press.toFixed(1)},${dir},${wndSpd.toFixed(2)},${snow},${rain}`;
  }
}

export async function writeJ1Csv(file: string, hours: number, seed = 1): Promise<void> {
  const out = createWriteStream(file);
  out.write(J1_HEADER + '\n');
  for (const row of j1Rows(hours, seed)) if (!out.write(row + '\n')) await once(out, 'drain');
  out.end();
  await once(out, 'finish');
}
