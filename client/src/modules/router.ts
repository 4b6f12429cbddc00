import { createRouter, createWebHistory } from 'vue-router';
import LaPage from '../pages/LaPage.vue';
import NationalPage from '../pages/NationalPage.vue';

export const router = createRouter({
  history: createWebHistory(),
  routes: [
    { path: '/', name: 'national', component: NationalPage },
    { path: '/la/:code(\\d{3})', name: 'la', component: LaPage },
    { path: '/:pathMatch(.*)*', redirect: '/' },
  ],
});
