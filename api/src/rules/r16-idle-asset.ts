import { z } from 'zod';
import { bandOf, bandsSchema, coversAll, defineRule, lowestBand, yuan, type Finding } from './define-rule.js';

const paramsSchema = z.strictObject({ bands: bandsSchema(['yellow', 'orange', 'red'] as const) });
type Params = z.infer<typeof paramsSchema>;

/** R16 资产长期闲置: days an asset card has been in status 闲置 at the as-of date. */
export default defineRule<Params>({
  id: 'R16',
  nameZh: '资产长期闲置',
  subject: '资产卡片',
  defaults: { bands: { yellow: '365', orange: '730' } },
  paramsSchema,
  covers: coversAll,
  async evaluate(knex, ctx) {
    const { bands } = ctx.params;
    const { rows } = await knex.raw(
      `select c.asset_no, c.asset_name, c.asset_class, c.agency_code, c.original_value, c.net_value, c.status_since,
              (:asOf::date - c.status_since) as idle_days, a.agency_name, a.parent_code
         from asset_cards c
         left join agencies a on a.region_code = c.region_code and a.agency_code = c.agency_code
        where c.region_code = :region and c.status = '闲置' and c.status_since <= :asOf
          and (:asOf::date - c.status_since) >= :lowest::numeric
        order by c.asset_no`,
      { region: ctx.regionCode, asOf: ctx.asOf, lowest: lowestBand(bands) },
    );
    return rows.flatMap((r: Record<string, string | number | null>): Finding[] => {
      const severity = bandOf(String(r.idle_days), bands);
      if (!severity) return [];
      return [{
        subjectType: 'asset',
        subjectKey: `asset:${r.asset_no}`,
        subjectName: `${r.agency_name ?? r.agency_code}${r.asset_name}（${r.asset_no}）`,
        // A card idle again after being used is a new episode: the period is when it began.
        period: String(r.status_since),
        severity,
        measured: { idleDays: String(r.idle_days), originalValue: String(r.original_value), statusSince: String(r.status_since) },
        threshold: { ...bands },
        drillLink: { route: '/assets', query: { region: ctx.regionCode, unit: String(r.agency_code), asset: String(r.asset_no) } },
      }];
    });
  },
  explain(f) {
    const m = f.measured;
    return `${f.subjectName}自 ${m.statusSince} 起闲置已 ${m.idleDays} 天，原值 ${yuan(m.originalValue)} 元`;
  },
});
