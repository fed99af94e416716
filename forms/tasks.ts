// Countable campaign tasks from the seed plan: towns' tasks (二(二), R4–R9, R15) and the department
// tasks of 二(四) 1–19 (R20.n), with the display, armband, patrol and school rules R15–R19.
// owner is a department's unit code (forms/organisation.ts), 'towns' (every town and sub-district) or 'stations' (every
// police station, each against its own target). perOfficer: each 包村、社区干警's own target (R15 "三个一").
// target is the count each owner reaches during the campaign (G in the daily ranking); `from` counts it from a
// register (publicity, dispute mediation, the visits' almanacs) so nothing is typed twice, or counts the distinct
// objects named in the task's own task reports (schools, internet cafés); without it the task-report form is summed.
import type { CampaignTask } from '../src/forms/types.ts';

const tasks: readonly CampaignTask[] = [
  // 二(二) every town and sub-district
  { id: 'towns-publicity-boards', owner: 'towns', title: '制作平安建设宣传版面、横幅、喷绘、文化墙（不少于10处）', rule: 'R4', unitLabel: '处', target: 10, from: { form: 'publicity', count: 'sum', fields: ['boards', 'banners', 'cultureWalls'] } },
  { id: 'towns-wall-slogans', owner: 'towns', title: '村民小组、居民小区醒目位置墙体标语或喷绘（每组、每小区2-3条）', rule: 'R4', unitLabel: '条', target: 30, from: { form: 'publicity', count: 'sum', fields: ['wallSlogans', 'banners'], where: { field: 'locationKind', equals: ['villager-group', 'compound'] } } },
  { id: 'towns-law-lectures', owner: 'towns', title: '“三个一”：每个包村、社区干警给群众讲一堂平安建设和法制宣传教育课', rule: 'R15', unitLabel: '堂', target: 3, perOfficer: 1 },
  { id: 'towns-almanacs', owner: 'towns', title: '入户发放《平安历书》（每户一本）', rule: 'R7', unitLabel: '户', target: 300, from: { form: 'household-visit', count: 'entries', where: { field: 'almanac', equals: ['yes'] } } },
  { id: 'towns-dispute-screenings', owner: 'towns', title: '“三个一”：每个包村、社区干警开展一次矛盾纠纷排查调处（小事不出村、大事不出镇街）', rule: 'R15', unitLabel: '次', target: 3, from: { form: 'dispute-mediation', count: 'entries' } },
  { id: 'towns-volunteer-patrols', owner: 'towns', title: '“三个一”：包村、社区干警组织村、社区义务巡逻人员每周开展一次治安巡逻', rule: 'R15', unitLabel: '次', target: 12, perOfficer: 4 },
  { id: 'towns-deputy-briefings', owner: 'towns', title: '向“两代表一委员”汇报工作（汇报会、登门走访、书面报告）', rule: 'R9', unitLabel: '次', target: 2 },

  // 1 金台公安分局
  { id: 'police-venue-checks', owner: 'police', title: '清理排查城中村、中小旅馆、洗浴场所、娱乐会所、电子游戏厅等复杂场所', rule: 'R20.1', unitLabel: '处', target: 100 },
  { id: 'police-unit-slogans', owner: 'police', title: '内保单位、特行单位宣传标语（每单位至少1-2条）', rule: 'R17', unitLabel: '条', target: 150, from: { form: 'publicity', count: 'sum', fields: ['wallSlogans', 'banners'], where: { field: 'locationKind', equals: ['enterprise'] } } },
  { id: 'police-gate-armbands', owner: 'police', title: '内保单位、特行单位门卫佩戴“红袖标”上岗', rule: 'R18', unitLabel: '人', target: 100 },
  // 各公安派出所 (R16): each station's own patrols; the police branch sees them per station and as its total
  { id: 'police-community-patrols', owner: 'stations', title: '各公安派出所对校园周边及公共场所开展重点巡查：社区每日巡查1次', rule: 'R16', unitLabel: '次', target: 30 },
  { id: 'police-rural-patrols', owner: 'stations', title: '各公安派出所对校园周边及公共场所开展重点巡查：农村每周巡查2次', rule: 'R16', unitLabel: '次', target: 8 },
  { id: 'police-three-officials', owner: 'police', title: '“三官一律”进社区（小区）、村（组）活动（政法各部门）', rule: 'R20', unitLabel: '次', target: 10 },

  // 2 区检察院
  { id: 'procuratorate-openness', owner: 'procuratorate', title: '检务公开宣传、政法干警廉洁从政公正执法典型宣传活动', rule: 'R20.2', unitLabel: '次', target: 3 },

  // 3 区法院
  { id: 'court-law-outreach', owner: 'court', title: '“审判五进”“一村一法官”法律进社区、进农村，以案讲法', rule: 'R20.3', unitLabel: '次', target: 6 },

  // 4 区司法局
  { id: 'justice-law-services', owner: 'justice', title: '“送法律、送服务”法制宣传和普法教育（社区、村组）', rule: 'R20.4', unitLabel: '次', target: 11 },

  // 5 金台巡警大队
  { id: 'patrol-police-patrols', owner: 'patrol-police', title: '按一级巡逻防范要求开展属地责任制巡逻', rule: 'R20.5', unitLabel: '班次', target: 60 },

  // 6 金台交警大队
  { id: 'traffic-police-crossing-slogans', owner: 'traffic-police', title: '主干道十字路口悬挂创建平安金台宣传标语（每路口至少2幅）', rule: 'R17', unitLabel: '幅', target: 40, from: { form: 'publicity', count: 'sum', fields: ['wallSlogans', 'banners'], where: { field: 'locationKind', equals: ['crossing'] } } },
  { id: 'traffic-police-parking-armbands', owner: 'traffic-police', title: '停车收费人员佩戴“红袖标”上岗', rule: 'R18', unitLabel: '人', target: 50 },

  // 7 区教体局
  { id: 'education-safety-inspections', owner: 'education', title: '中小学校园安全大检查（每校一次）', rule: 'R19', unitLabel: '所', target: 60, from: { form: 'task-report', count: 'distinct', fields: ['objectName'] } },
  { id: 'education-small-hands', owner: 'education', title: '“小手拉大手、共创平安区”主题活动（每校一次）', rule: 'R19', unitLabel: '所', target: 60 },
  { id: 'education-school-slogans', owner: 'education', title: '学校宣传标语或横幅（每校至少1-2条）', rule: 'R17', unitLabel: '条', target: 90, from: { form: 'publicity', count: 'sum', fields: ['wallSlogans', 'banners'], where: { field: 'locationKind', equals: ['school'] } } },
  { id: 'education-gate-armbands', owner: 'education', title: '学校门卫佩戴“红袖标”上岗', rule: 'R18', unitLabel: '人', target: 60 },

  // 8 区住建局
  { id: 'housing-site-slogans', owner: 'housing', title: '广场、休闲场所、建设工地横幅和大型墙体标语', rule: 'R20.8', unitLabel: '处', target: 30 },
  { id: 'housing-property-checks', owner: 'housing', title: '检查物业公司“四防”设施，排查小区技防设施使用维护', rule: 'R20.8', unitLabel: '个', target: 40 },

  // 9 区文化广电局
  { id: 'culture-cafe-inspections', owner: 'culture', title: '网吧检查（查处容留未成年人，校园周边200米内网吧取缔）', rule: 'R20.9', unitLabel: '家', target: 80, from: { form: 'task-report', count: 'distinct', fields: ['objectName'] } },
  { id: 'culture-cafe-slogans', owner: 'culture', title: '网吧悬挂平安建设宣传标语（每个网吧至少1幅）', rule: 'R17', unitLabel: '幅', target: 80, from: { form: 'publicity', count: 'sum', fields: ['wallSlogans', 'banners'], where: { field: 'locationKind', equals: ['internet-cafe'] } } },
  { id: 'culture-cafe-armbands', owner: 'culture', title: '网吧管理人员佩戴“红袖标”上岗', rule: 'R18', unitLabel: '人', target: 80 },

  // 10 金台工商分局
  { id: 'commerce-industry-shop-slogans', owner: 'commerce-industry', title: '沿街门店、个体工商户平安标语（一店一标语）', rule: 'R17', unitLabel: '条', target: 500, from: { form: 'publicity', count: 'sum', fields: ['wallSlogans', 'banners'], where: { field: 'locationKind', equals: ['shop'] } } },
  { id: 'commerce-industry-market-slogans', owner: 'commerce-industry', title: '集贸市场平安建设宣传标语、文化墙（每个市场不少于2幅）', rule: 'R17', unitLabel: '幅', target: 30, from: { form: 'publicity', count: 'sum', fields: ['wallSlogans', 'banners'], where: { field: 'locationKind', equals: ['market'] } } },
  { id: 'commerce-industry-market-armbands', owner: 'commerce-industry', title: '市场管理人员佩戴“红袖标”上岗', rule: 'R18', unitLabel: '人', target: 30 },
  { id: 'commerce-industry-school-snacks', owner: 'commerce-industry', title: '整治校园及周边非法经营、出售小食品行为', rule: 'R20.10', unitLabel: '次', target: 4 },
  { id: 'commerce-industry-pyramid-selling', owner: 'commerce-industry', title: '打击传销专项行动', rule: 'R20.10', unitLabel: '次', target: 2 },

  // 11 区卫生局
  { id: 'health-slogans', owner: 'health', title: '医疗单位门诊楼等醒目位置宣传标语或横幅（每单位1-2幅）', rule: 'R17', unitLabel: '幅', target: 30, from: { form: 'publicity', count: 'sum', fields: ['wallSlogans', 'banners'], where: { field: 'locationKind', equals: ['medical'] } } },
  { id: 'health-gate-armbands', owner: 'health', title: '医疗单位门卫佩戴“红袖标”上岗', rule: 'R18', unitLabel: '人', target: 30 },
  { id: 'health-warning-signs', owner: 'health', title: '医疗单位复杂场所设置安全提示牌', rule: 'R20.11', unitLabel: '块', target: 30 },
  { id: 'health-cctv', owner: 'health', title: '重点医疗单位建设视频监控系统', rule: 'R20.11', unitLabel: '个', target: 5 },
  { id: 'health-patrols', owner: 'health', title: '区属各医疗单位加强治安巡逻防范', rule: 'R20.11', unitLabel: '次', target: 30 },

  // 12 区交通运输局
  { id: 'transport-station-slogans', owner: 'transport', title: '乡村公路交通站点、候车亭平安建设和安全防范警示标语', rule: 'R20.12', unitLabel: '处', target: 50 },

  // 13 区商务局
  { id: 'commerce-enterprise-slogans', owner: 'commerce', title: '规模以上商贸企业宣传标语（每单位至少1-2条）', rule: 'R17', unitLabel: '条', target: 40, from: { form: 'publicity', count: 'sum', fields: ['wallSlogans', 'banners'], where: { field: 'locationKind', equals: ['enterprise'] } } },
  { id: 'commerce-armbands', owner: 'commerce', title: '商贸企业门卫和管理人员佩戴“红袖标”上岗', rule: 'R18', unitLabel: '人', target: 40 },

  // 14 区民政局
  { id: 'civil-affairs-community-guidance', owner: 'civil-affairs', title: '指导、督促社区完成“两集中”活动任务', rule: 'R20.14', unitLabel: '次', target: 20 },

  // 15 金台执法大队
  { id: 'law-enforcement-school-vendors', owner: 'law-enforcement', title: '清理取缔校园周边小摊贩和门店出店经营', rule: 'R20.15', unitLabel: '次', target: 8 },

  // 16 区安监局
  { id: 'work-safety-inspections', owner: 'work-safety', title: '安全生产检查', rule: 'R20.16', unitLabel: '家', target: 50 },

  // 17 区总工会、区工信局
  { id: 'trade-union-enterprise-publicity', owner: 'trade-union', title: '平安建设宣传进企业', rule: 'R20.17', unitLabel: '家', target: 30 },
  { id: 'industry-it-enterprise-publicity', owner: 'industry-it', title: '平安建设宣传进企业', rule: 'R20.17', unitLabel: '家', target: 30 },

  // 18 团区委
  { id: 'youth-league-publicity', owner: 'youth-league', title: '组织团员青年参与综治及平安建设宣传活动', rule: 'R20.18', unitLabel: '次', target: 4 },
  { id: 'youth-league-youth-stations', owner: 'youth-league', title: '依托“青春驿站”加强预防青少年违法犯罪工作', rule: 'R20.18', unitLabel: '次', target: 4 },

  // 19 金台信用联社
  { id: 'credit-union-branch-displays', owner: 'credit-union', title: '营业网点电子显示屏或标语宣传平安创建和安全防范', rule: 'R20.19', unitLabel: '个', target: 30 },
];

export default tasks;
