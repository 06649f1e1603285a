import { Home } from '@/components/home/home.tsx';

export default function HomePage() {
  return <Home />;
}
