// The district's organisation: the office, towns and sub-districts with DEMO villages and
// communities, the 20 departments of section 二(四), DEMO police stations and DEMO cadres. Real unit names are those of
// 宝鸡市金台区; every village, community and cadre here is invented for demonstration (marked 演示).
import type { Organisation, OrganisationCadre, OrganisationUnit } from '../src/forms/types.ts';

const units: readonly OrganisationUnit[] = [
  { code: 'office', name: '金台区综治办', kind: 'office' },

  // Sub-districts (街道) and towns (镇)
  { code: 'zhongshan-east', name: '中山东路街道', kind: 'subdistrict', parent: 'office' },
  { code: 'zhongshan-west', name: '中山西路街道', kind: 'subdistrict', parent: 'office' },
  { code: 'qunzhong-road', name: '群众路街道', kind: 'subdistrict', parent: 'office' },
  { code: 'dongfeng-road', name: '东风路街道', kind: 'subdistrict', parent: 'office' },
  { code: 'xiguan', name: '西关街道', kind: 'subdistrict', parent: 'office' },
  { code: 'shilipu', name: '十里铺街道', kind: 'subdistrict', parent: 'office' },
  { code: 'wolongsi', name: '卧龙寺街道', kind: 'subdistrict', parent: 'office' },
  { code: 'chencang', name: '陈仓镇', kind: 'town', parent: 'office' },
  { code: 'panlong', name: '蟠龙镇', kind: 'town', parent: 'office' },
  { code: 'jinhe', name: '金河镇', kind: 'town', parent: 'office' },
  { code: 'xiashi', name: '硖石镇', kind: 'town', parent: 'office' },

  // Demo communities (社区) under sub-districts and demo villages (村) under towns
  { code: 'zhongshan-east-c1', name: '中山东路示范社区一（演示）', kind: 'community', parent: 'zhongshan-east', population: 860 },
  { code: 'zhongshan-east-c2', name: '中山东路示范社区二（演示）', kind: 'community', parent: 'zhongshan-east', population: 1450 },
  { code: 'zhongshan-east-c3', name: '中山东路示范社区三（演示）', kind: 'community', parent: 'zhongshan-east', population: 2300 },

  { code: 'zhongshan-west-c1', name: '中山西路示范社区一（演示）', kind: 'community', parent: 'zhongshan-west', population: 1720 },
  { code: 'zhongshan-west-c2', name: '中山西路示范社区二（演示）', kind: 'community', parent: 'zhongshan-west', population: 940 },

  { code: 'qunzhong-road-c1', name: '群众路示范社区一（演示）', kind: 'community', parent: 'qunzhong-road', population: 2650 },
  { code: 'qunzhong-road-c2', name: '群众路示范社区二（演示）', kind: 'community', parent: 'qunzhong-road', population: 780 },
  { code: 'qunzhong-road-c3', name: '群众路示范社区三（演示）', kind: 'community', parent: 'qunzhong-road', population: 1310 },

  { code: 'dongfeng-road-c1', name: '东风路示范社区一（演示）', kind: 'community', parent: 'dongfeng-road', population: 990 },
  { code: 'dongfeng-road-c2', name: '东风路示范社区二（演示）', kind: 'community', parent: 'dongfeng-road', population: 1880 },

  { code: 'xiguan-c1', name: '西关示范社区一（演示）', kind: 'community', parent: 'xiguan', population: 1540 },
  { code: 'xiguan-c2', name: '西关示范社区二（演示）', kind: 'community', parent: 'xiguan', population: 870 },
  { code: 'xiguan-c3', name: '西关示范社区三（演示）', kind: 'community', parent: 'xiguan', population: 2120 },

  { code: 'shilipu-c1', name: '十里铺示范社区一（演示）', kind: 'community', parent: 'shilipu', population: 1260 },
  { code: 'shilipu-c2', name: '十里铺示范社区二（演示）', kind: 'community', parent: 'shilipu', population: 930 },

  { code: 'wolongsi-c1', name: '卧龙寺示范社区一（演示）', kind: 'community', parent: 'wolongsi', population: 2040 },
  { code: 'wolongsi-c2', name: '卧龙寺示范社区二（演示）', kind: 'community', parent: 'wolongsi', population: 1150 },
  { code: 'wolongsi-c3', name: '卧龙寺示范社区三（演示）', kind: 'community', parent: 'wolongsi', population: 690 },

  { code: 'chencang-v1', name: '陈仓示范村一（演示）', kind: 'village', parent: 'chencang', population: 860 },
  { code: 'chencang-v2', name: '陈仓示范村二（演示）', kind: 'village', parent: 'chencang', population: 1450 },
  { code: 'chencang-v3', name: '陈仓示范村三（演示）', kind: 'village', parent: 'chencang', population: 2300 },

  { code: 'panlong-v1', name: '蟠龙示范村一（演示）', kind: 'village', parent: 'panlong', population: 1380 },
  { code: 'panlong-v2', name: '蟠龙示范村二（演示）', kind: 'village', parent: 'panlong', population: 760 },

  { code: 'jinhe-v1', name: '金河示范村一（演示）', kind: 'village', parent: 'jinhe', population: 920 },
  { code: 'jinhe-v2', name: '金河示范村二（演示）', kind: 'village', parent: 'jinhe', population: 1620 },
  { code: 'jinhe-v3', name: '金河示范村三（演示）', kind: 'village', parent: 'jinhe', population: 1090 },

  { code: 'xiashi-v1', name: '硖石示范村一（演示）', kind: 'village', parent: 'xiashi', population: 640 },
  { code: 'xiashi-v2', name: '硖石示范村二（演示）', kind: 'village', parent: 'xiashi', population: 1210 },

  // District departments of section 二(四)
  { code: 'police', name: '金台公安分局', kind: 'department', parent: 'office' },
  { code: 'procuratorate', name: '区检察院', kind: 'department', parent: 'office' },
  { code: 'court', name: '区法院', kind: 'department', parent: 'office' },
  { code: 'justice', name: '区司法局', kind: 'department', parent: 'office' },
  { code: 'patrol-police', name: '金台巡警大队', kind: 'department', parent: 'office' },
  { code: 'traffic-police', name: '金台交警大队', kind: 'department', parent: 'office' },
  { code: 'education', name: '区教体局', kind: 'department', parent: 'office' },
  { code: 'housing', name: '区住建局', kind: 'department', parent: 'office' },
  { code: 'culture', name: '区文化广电局', kind: 'department', parent: 'office' },
  { code: 'commerce-industry', name: '金台工商分局', kind: 'department', parent: 'office' },
  { code: 'health', name: '区卫生局', kind: 'department', parent: 'office' },
  { code: 'transport', name: '区交通运输局', kind: 'department', parent: 'office' },
  { code: 'commerce', name: '区商务局', kind: 'department', parent: 'office' },
  { code: 'civil-affairs', name: '区民政局', kind: 'department', parent: 'office' },
  { code: 'law-enforcement', name: '金台执法大队', kind: 'department', parent: 'office' },
  { code: 'work-safety', name: '区安监局', kind: 'department', parent: 'office' },
  { code: 'trade-union', name: '区总工会', kind: 'department', parent: 'office' },
  { code: 'industry-it', name: '区工信局', kind: 'department', parent: 'office' },
  { code: 'youth-league', name: '团区委', kind: 'department', parent: 'office' },
  { code: 'credit-union', name: '金台信用联社', kind: 'department', parent: 'office' },

  // DEMO police stations (派出所) under the police branch (R16 patrols, R15 包村、社区干警)
  { code: 'station-zhongshan', name: '中山路派出所（演示）', kind: 'station', parent: 'police' },
  { code: 'station-panlong', name: '蟠龙派出所（演示）', kind: 'station', parent: 'police' },
  { code: 'station-jinhe', name: '金河派出所（演示）', kind: 'station', parent: 'police' },
];

const cadres: readonly OrganisationCadre[] = [
  { unit: 'office', name: '张伟（演示）', post: '区委副书记', role: 'district_leader', assigned: 'zhongshan-east-c1' },
  { unit: 'office', name: '黄艳（演示）', post: '区委常委、政法委书记', role: 'district_leader', assigned: 'qunzhong-road-c1' },
  { unit: 'office', name: '胡建华（演示）', post: '副区长', role: 'district_leader', assigned: 'xiguan-c1' },
  { unit: 'office', name: '梁秀兰（演示）', post: '区综治办主任', role: 'unit_leader', assigned: 'wolongsi-c1' },
  { unit: 'office', name: '邓静（演示）', post: '区综治办科员', role: 'cadre', assigned: 'chencang-v3' },

  { unit: 'zhongshan-east', name: '袁明（演示）', post: '街道办主任', role: 'unit_leader', assigned: 'zhongshan-east-c1' },
  { unit: 'zhongshan-east', name: '程文斌（演示）', post: '街道办副主任', role: 'unit_leader', assigned: 'zhongshan-east-c2' },
  { unit: 'zhongshan-east', name: '姚宏伟（演示）', post: '街道综治办干部', role: 'cadre', assigned: 'zhongshan-east-c3' },
  { unit: 'zhongshan-east', name: '汪军（演示）', post: '街道干部', role: 'cadre', assigned: 'zhongshan-east-c1' },
  { unit: 'zhongshan-west', name: '韦平（演示）', post: '街道办主任', role: 'unit_leader', assigned: 'zhongshan-west-c1' },
  { unit: 'zhongshan-west', name: '秦建军（演示）', post: '街道办副主任', role: 'unit_leader', assigned: 'zhongshan-west-c2' },
  { unit: 'zhongshan-west', name: '雷芳（演示）', post: '街道综治办干部', role: 'cadre', assigned: 'zhongshan-west-c1' },
  { unit: 'qunzhong-road', name: '顾杰（演示）', post: '街道办主任', role: 'unit_leader', assigned: 'qunzhong-road-c1' },
  { unit: 'qunzhong-road', name: '严红梅（演示）', post: '街道办副主任', role: 'unit_leader', assigned: 'qunzhong-road-c2' },
  { unit: 'qunzhong-road', name: '汤永红（演示）', post: '街道综治办干部', role: 'cadre', assigned: 'qunzhong-road-c3' },
  { unit: 'qunzhong-road', name: '杨丽（演示）', post: '街道干部', role: 'cadre', assigned: 'qunzhong-road-c1' },
  { unit: 'dongfeng-road', name: '朱超（演示）', post: '街道办主任', role: 'unit_leader', assigned: 'dongfeng-road-c1' },
  { unit: 'dongfeng-road', name: '郑晓东（演示）', post: '街道办副主任', role: 'unit_leader', assigned: 'dongfeng-road-c2' },
  { unit: 'dongfeng-road', name: '冯雪梅（演示）', post: '街道综治办干部', role: 'cadre', assigned: 'dongfeng-road-c1' },
  { unit: 'xiguan', name: '董洋（演示）', post: '街道办主任', role: 'unit_leader', assigned: 'xiguan-c1' },
  { unit: 'xiguan', name: '叶刚（演示）', post: '街道办副主任', role: 'unit_leader', assigned: 'xiguan-c2' },
  { unit: 'xiguan', name: '沈丽华（演示）', post: '街道综治办干部', role: 'cadre', assigned: 'xiguan-c3' },
  { unit: 'xiguan', name: '陆娜（演示）', post: '街道干部', role: 'cadre', assigned: 'xiguan-c1' },
  { unit: 'shilipu', name: '夏娟（演示）', post: '街道办主任', role: 'unit_leader', assigned: 'shilipu-c1' },
  { unit: 'shilipu', name: '熊志强（演示）', post: '街道办副主任', role: 'unit_leader', assigned: 'shilipu-c2' },
  { unit: 'shilipu', name: '段卫东（演示）', post: '街道综治办干部', role: 'cadre', assigned: 'shilipu-c1' },
  { unit: 'wolongsi', name: '贺强（演示）', post: '街道办主任', role: 'unit_leader', assigned: 'wolongsi-c1' },
  { unit: 'wolongsi', name: '钱秀英（演示）', post: '街道办副主任', role: 'unit_leader', assigned: 'wolongsi-c2' },
  { unit: 'wolongsi', name: '向玉兰（演示）', post: '街道综治办干部', role: 'cadre', assigned: 'wolongsi-c3' },
  { unit: 'wolongsi', name: '陈德明（演示）', post: '街道干部', role: 'cadre', assigned: 'wolongsi-c1' },
  { unit: 'chencang', name: '马勇（演示）', post: '镇长', role: 'unit_leader', assigned: 'chencang-v1' },
  { unit: 'chencang', name: '罗桂英（演示）', post: '副镇长', role: 'unit_leader', assigned: 'chencang-v2' },
  { unit: 'chencang', name: '韩春生（演示）', post: '镇综治办干部', role: 'cadre', assigned: 'chencang-v3' },
  { unit: 'chencang', name: '田敏（演示）', post: '镇干部', role: 'cadre', assigned: 'chencang-v1' },
  { unit: 'panlong', name: '杜涛（演示）', post: '镇长', role: 'unit_leader', assigned: 'panlong-v1' },
  { unit: 'panlong', name: '任海燕（演示）', post: '副镇长', role: 'unit_leader', assigned: 'panlong-v2' },
  { unit: 'panlong', name: '谭小龙（演示）', post: '镇综治办干部', role: 'cadre', assigned: 'panlong-v1' },
  { unit: 'jinhe', name: '贾磊（演示）', post: '镇长', role: 'unit_leader', assigned: 'jinhe-v1' },
  { unit: 'jinhe', name: '孟霞（演示）', post: '副镇长', role: 'unit_leader', assigned: 'jinhe-v2' },
  { unit: 'jinhe', name: '闫国庆（演示）', post: '镇综治办干部', role: 'cadre', assigned: 'jinhe-v3' },
  { unit: 'jinhe', name: '黎伟（演示）', post: '镇干部', role: 'cadre', assigned: 'jinhe-v1' },
  { unit: 'xiashi', name: '万艳（演示）', post: '镇长', role: 'unit_leader', assigned: 'xiashi-v1' },
  { unit: 'xiashi', name: '孔建华（演示）', post: '副镇长', role: 'unit_leader', assigned: 'xiashi-v2' },
  { unit: 'xiashi', name: '刘秀兰（演示）', post: '镇综治办干部', role: 'cadre', assigned: 'xiashi-v1' },

  { unit: 'police', name: '孙静（演示）', post: '分局局长', role: 'unit_leader', assigned: 'jinhe-v3' },
  { unit: 'police', name: '林明（演示）', post: '社区民警', role: 'cadre', assigned: 'zhongshan-east-c3' },
  { unit: 'procuratorate', name: '许文斌（演示）', post: '检察长', role: 'unit_leader', assigned: 'qunzhong-road-c3' },
  { unit: 'court', name: '萧宏伟（演示）', post: '院长', role: 'unit_leader', assigned: 'xiguan-c3' },
  { unit: 'court', name: '余军（演示）', post: '科员', role: 'cadre', assigned: 'wolongsi-c3' },
  { unit: 'justice', name: '丁平（演示）', post: '局长', role: 'unit_leader', assigned: 'panlong-v2' },
  { unit: 'patrol-police', name: '钟建军（演示）', post: '大队长', role: 'unit_leader', assigned: 'xiashi-v2' },
  { unit: 'patrol-police', name: '廖芳（演示）', post: '科员', role: 'cadre', assigned: 'zhongshan-west-c2' },
  { unit: 'traffic-police', name: '邹杰（演示）', post: '大队长', role: 'unit_leader', assigned: 'dongfeng-road-c2' },
  { unit: 'education', name: '薛红梅（演示）', post: '局长', role: 'unit_leader', assigned: 'shilipu-c2' },
  { unit: 'education', name: '陶永红（演示）', post: '科员', role: 'cadre', assigned: 'chencang-v2' },
  { unit: 'housing', name: '邵丽（演示）', post: '局长', role: 'unit_leader', assigned: 'jinhe-v2' },
  { unit: 'culture', name: '莫超（演示）', post: '局长', role: 'unit_leader', assigned: 'zhongshan-east-c2' },
  { unit: 'culture', name: '赵晓东（演示）', post: '科员', role: 'cadre', assigned: 'qunzhong-road-c2' },
  { unit: 'commerce-industry', name: '徐雪梅（演示）', post: '分局局长', role: 'unit_leader', assigned: 'xiguan-c2' },
  { unit: 'health', name: '高洋（演示）', post: '局长', role: 'unit_leader', assigned: 'wolongsi-c2' },
  { unit: 'health', name: '唐刚（演示）', post: '科员', role: 'cadre', assigned: 'panlong-v1' },
  { unit: 'transport', name: '曾丽华（演示）', post: '局长', role: 'unit_leader', assigned: 'xiashi-v1' },
  { unit: 'commerce', name: '蔡娜（演示）', post: '局长', role: 'unit_leader', assigned: 'zhongshan-west-c1' },
  { unit: 'commerce', name: '吕娟（演示）', post: '科员', role: 'cadre', assigned: 'dongfeng-road-c1' },
  { unit: 'civil-affairs', name: '崔志强（演示）', post: '局长', role: 'unit_leader', assigned: 'shilipu-c1' },
  { unit: 'law-enforcement', name: '石卫东（演示）', post: '大队长', role: 'unit_leader', assigned: 'chencang-v1' },
  { unit: 'law-enforcement', name: '白强（演示）', post: '科员', role: 'cadre', assigned: 'jinhe-v1' },
  { unit: 'work-safety', name: '尹秀英（演示）', post: '局长', role: 'unit_leader', assigned: 'zhongshan-east-c1' },
  { unit: 'trade-union', name: '史玉兰（演示）', post: '主席', role: 'unit_leader', assigned: 'qunzhong-road-c1' },
  { unit: 'trade-union', name: '龚德明（演示）', post: '科员', role: 'cadre', assigned: 'xiguan-c1' },
  { unit: 'industry-it', name: '戴勇（演示）', post: '局长', role: 'unit_leader', assigned: 'wolongsi-c1' },
  { unit: 'youth-league', name: '李桂英（演示）', post: '书记', role: 'unit_leader', assigned: 'chencang-v3' },
  { unit: 'youth-league', name: '吴春生（演示）', post: '科员', role: 'cadre', assigned: 'jinhe-v3' },
  { unit: 'credit-union', name: '何敏（演示）', post: '理事长', role: 'unit_leader', assigned: 'zhongshan-east-c3' },

  // 包村、社区干警: each station's officers and the village or community each is assigned to (R15 "三个一").
  { unit: 'station-zhongshan', name: '王磊（演示）', post: '社区民警', role: 'cadre', assigned: 'zhongshan-east-c1' },
  { unit: 'station-zhongshan', name: '周丹（演示）', post: '社区民警', role: 'cadre', assigned: 'zhongshan-east-c2' },
  { unit: 'station-panlong', name: '郭鹏（演示）', post: '驻村民警', role: 'cadre', assigned: 'panlong-v1' },
  { unit: 'station-panlong', name: '马骏（演示）', post: '驻村民警', role: 'cadre', assigned: 'panlong-v2' },
  { unit: 'station-jinhe', name: '罗浩（演示）', post: '驻村民警', role: 'cadre', assigned: 'jinhe-v1' },
];

const organisation: Organisation = { units, cadres };

export default organisation;
