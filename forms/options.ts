// Option lists several forms share (data only), so rankings and hazards count answers by value whatever form they came from.
import type { FieldOption } from '../src/forms/types.ts';

/** 满意度 answers (两率一度). Values are stored in submissions.satisfaction. */
export const SATISFACTION_OPTIONS: readonly FieldOption[] = [
  { value: 'satisfied', label: '满意' },
  { value: 'basically_satisfied', label: '基本满意' },
  { value: 'dissatisfied', label: '不满意' },
  { value: 'unknown', label: '不了解' },
];

/** The satisfaction values that count as satisfied: S = (满意 + 基本满意) / answers. */
export const SATISFIED_VALUES: readonly string[] = ['satisfied', 'basically_satisfied'];

/** R8 key places, the hazard categories residents and units pick from. */
export const R8_PLACE_OPTIONS: readonly FieldOption[] = [
  { value: 'rental-housing', label: '出租房屋' },
  { value: 'small-hotel', label: '中小旅馆' },
  { value: 'internet-cafe', label: '网吧' },
  { value: 'residential-compound', label: '居民小区' },
  { value: 'school-surroundings', label: '学校及周边' },
  { value: 'entertainment-venue', label: '娱乐场所' },
  { value: 'bathhouse', label: '洗浴场所' },
  { value: 'game-arcade', label: '电子游戏厅' },
  { value: 'urban-village', label: '城中村' },
];

/** Hazard categories: the R8 places plus fire, traffic and anything else. */
export const HAZARD_CATEGORY_OPTIONS: readonly FieldOption[] = [
  ...R8_PLACE_OPTIONS,
  { value: 'fire', label: '消防安全' },
  { value: 'traffic', label: '交通安全' },
  { value: 'other', label: '其他' },
];
