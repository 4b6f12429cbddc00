import { createRouter, createWebHistory } from 'vue-router';
import NationalPage from '../pages/NationalPage.vue';

export const router = createRouter({
  history: createWebHistory(),
  routes: [
    { path: '/', name: 'national', component: NationalPage },
    { path: '/:pathMatch(.*)*', redirect: '/' },
  ],
});
