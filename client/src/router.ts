import { createRouter, createWebHistory } from 'vue-router';
import InspectionPage from './pages/InspectionPage.vue';
import LaPage from './pages/LaPage.vue';
import NationalPage from './pages/NationalPage.vue';
import ProgrammePage from './pages/ProgrammePage.vue';
import ProgrammesPage from './pages/ProgrammesPage.vue';
import SchoolPage from './pages/SchoolPage.vue';
import SupportPackPage from './pages/SupportPackPage.vue';
import TrustPage from './pages/TrustPage.vue';

export const router = createRouter({
  history: createWebHistory(),
  routes: [
    { path: '/', name: 'national', component: NationalPage },
    { path: '/la/:code(\\d{3})', name: 'la', component: LaPage },
    { path: '/schools/:urn(\\d+)', name: 'school', component: SchoolPage },
    { path: '/schools/:urn(\\d+)/support', name: 'support-pack', component: SupportPackPage },
    { path: '/trusts/:code([A-Za-z0-9]+)', name: 'trust', component: TrustPage },
    { path: '/inspection', name: 'inspection', component: InspectionPage },
    { path: '/programmes', name: 'programmes', component: ProgrammesPage },
    { path: '/programmes/:id([0-9a-f-]{36})', name: 'programme', component: ProgrammePage },
    { path: '/:pathMatch(.*)*', redirect: '/' },
  ],
});
