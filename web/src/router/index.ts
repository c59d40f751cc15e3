import { createRouter, createWebHistory, type RouteRecordRaw } from 'vue-router';
import { setUnauthenticatedHandler } from '@/api/client';
import { useAuthStore } from '@/stores/auth';
import { useUiStore } from '@/stores/ui';
import { fromFlatQuery } from './drill-path';

declare module 'vue-router' {
  interface RouteMeta {
    title?: string;
    public?: boolean;
    /** Shown in the side menu, in this order. */
    menu?: boolean;
    icon?: string;
    /** Only these roles may open the page (the server refuses the others' requests anyway). */
    roles?: string[];
  }
}

/** One route entry per page; every page is its own lazily loaded chunk. */
export const routes: RouteRecordRaw[] = [
  { path: '/login', name: 'login', component: () => import('@/views/login/LoginView.vue'), meta: { title: '登录', public: true } },
  // The deputies' phone (代表端): pages designed for 390 px, with their own layout.
  { path: '/m/enrol', name: 'enrol', component: () => import('@/views/phone/EnrolView.vue'), meta: { title: '扫码登录', public: true } },
  {
    path: '/m',
    component: () => import('@/views/phone/PhoneLayout.vue'),
    children: [
      { path: '', name: 'phone-home', component: () => import('@/views/phone/PhoneHomeView.vue'), meta: { title: '代表首页' } },
      { path: 'ask', name: 'ask', component: () => import('@/views/phone/AskView.vue'), meta: { title: '问数' } },
      { path: 'me', name: 'phone-me', component: () => import('@/views/phone/PhoneMeView.vue'), meta: { title: '我的' } },
      { path: 'confirm', name: 'confirm-screen', component: () => import('@/views/phone/ConfirmScreenView.vue'), meta: { title: '确认登录' } },
      { path: 'reports/:id(\\d{6}-\\d+)', name: 'phone-report', component: () => import('@/views/phone/PhoneReportView.vue'), meta: { title: '季度报告' } },
    ],
  },
  {
    path: '/',
    component: () => import('@/components/AppLayout.vue'),
    children: [
      { path: '', redirect: () => useAuthStore().homePath },
      { path: 'inbox', name: 'inbox', component: () => import('@/views/inbox/InboxView.vue'), meta: { title: '工作台', roles: ['staff', 'admin'] } },
      { path: 'overview', name: 'overview', component: () => import('@/views/overview/OverviewView.vue'), meta: { title: '驾驶舱', menu: true } },
      {
        // Flat-query links (alerts' drill_link: /drill?region=…&dept=…) become the canonical path.
        path: 'drill',
        name: 'drill-entry',
        redirect: (to) => {
          const ui = useUiStore();
          const auth = useAuthStore();
          const { path, query } = fromFlatQuery(to.query, ui.regionCode ?? auth.user?.regionCode ?? '');
          return { path, query };
        },
      },
      { path: 'drill/:region(\\d{6})/:segs*', name: 'drill', component: () => import('@/views/drill/DrillView.vue'), meta: { title: '穿透查询', menu: true } },
      { path: 'alerts', name: 'alerts', component: () => import('@/views/alerts/AlertsView.vue'), meta: { title: '预警', menu: true } },
      // An alert is named by its region and number, 411100-42 (REGION_ID in @contract/common): the database's key.
      { path: 'alerts/:id(\\d{6}-\\d+)', name: 'alert', component: () => import('@/views/alerts/AlertDetailView.vue'), meta: { title: '预警详情' } },
      { path: 'debt', name: 'debt', component: () => import('@/views/debt/DebtView.vue'), meta: { title: '政府债务', menu: true } },
      { path: 'assets', name: 'assets', component: () => import('@/views/assets/AssetsView.vue'), meta: { title: '国有资产', menu: true } },
      { path: 'performance', name: 'performance', component: () => import('@/views/key-supervision/PerformanceView.vue'), meta: { title: '绩效监控', menu: true } },
      { path: 'transfers', name: 'transfers', component: () => import('@/views/key-supervision/TransfersView.vue'), meta: { title: '转移支付', menu: true } },
      { path: 'audit', name: 'audit', component: () => import('@/views/audit/AuditView.vue'), meta: { title: '审计整改', menu: true } },
      { path: 'data', name: 'data', component: () => import('@/views/data/DataView.vue'), meta: { title: '数据', menu: true } },
      { path: 'rules', name: 'rules', component: () => import('@/views/rules/RulesView.vue'), meta: { title: '规则', menu: true } },
      { path: 'review', name: 'review', component: () => import('@/views/review/ReviewView.vue'), meta: { title: '预决算审查', menu: true } },
      { path: 'reports', name: 'reports', component: () => import('@/views/reports/ReportsView.vue'), meta: { title: '报告', menu: true } },
      { path: 'users', name: 'users', component: () => import('@/views/users/UsersView.vue'), meta: { title: '用户管理', roles: ['admin'] } },
      { path: 'deputies', name: 'deputies', component: () => import('@/views/users/DeputyPhonesView.vue'), meta: { title: '代表扫码登录', roles: ['staff'] } },
      { path: 'access-log', name: 'access-log', component: () => import('@/views/users/AccessLogView.vue'), meta: { title: '登录日志', roles: ['admin'] } },
      { path: 'liaison', name: 'liaison', component: () => import('@/views/liaison/LiaisonHomeView.vue'), meta: { title: '我的交办', roles: ['liaison'] } },
      { path: 'liaison/alerts/:id(\\d{6}-\\d+)', name: 'liaison-alert', component: () => import('@/views/liaison/LiaisonAlertView.vue'), meta: { title: '交办详情', roles: ['liaison'] } },
      { path: 'account/password', name: 'password', component: () => import('@/views/account/PasswordView.vue'), meta: { title: '修改密码' } },
      { path: ':pathMatch(.*)*', name: 'not-found', component: () => import('@/views/not-found/NotFoundView.vue'), meta: { title: '页面不存在' } },
    ],
  },
];

export const router = createRouter({
  history: createWebHistory(),
  routes,
  scrollBehavior: (_to, _from, saved) => saved ?? { top: 0 },
});

router.beforeEach(async (to) => {
  const auth = useAuthStore();
  if (!auth.checked) {
    try {
      await auth.fetchMe();
    } catch {
      /* server unreachable: the login page shows the error on submit */
    }
  }
  if (to.meta.public) return to.name === 'login' && auth.user ? { path: auth.homePath } : true;
  if (!auth.user) return { name: 'login', query: to.fullPath !== '/' ? { redirect: to.fullPath } : {} };
  // An admin-set password is replaced before anything else (the server refuses all else too).
  if (auth.user.mustChangePassword && to.name !== 'password') return { name: 'password' };
  // A department liaison has its own pages and the password page, nothing else.
  if (auth.user.role === 'liaison' && !to.meta.roles?.includes('liaison') && to.name !== 'password' && to.name !== 'not-found') return { path: auth.homePath };
  if (to.meta.roles && !to.meta.roles.includes(auth.user.role)) return { name: 'not-found', params: { pathMatch: to.path.slice(1).split('/') } };
  const ui = useUiStore();
  ui.ensureRegion(auth.user.regionCodes, auth.user.regionCode);
  return true;
});

router.afterEach((to) => {
  document.title = to.meta.title ? `${to.meta.title} · 预算联网监督系统` : '预算联网监督系统';
  useUiStore().menuOpen = false;
});

setUnauthenticatedHandler(() => {
  const auth = useAuthStore();
  auth.clear();
  const current = router.currentRoute.value;
  if (current.name !== 'login') void router.push({ name: 'login', query: { redirect: current.fullPath } });
});
