/** The sidebar, in order. `adminOnly` entries are hidden from other roles (the server enforces it). */
export interface NavItem { href: string; label: string; icon: string; adminOnly?: boolean }

export const NAV: NavItem[] = [
  { href: '/', label: 'Home', icon: 'M3 11l9-8 9 8v10a1 1 0 01-1 1h-5v-7H9v7H4a1 1 0 01-1-1z' },
  { href: '/containers', label: 'Containers', icon: 'M3 7l9-4 9 4v10l-9 4-9-4zM3 7l9 4 9-4M12 11v10' },
  { href: '/images', label: 'Images', icon: 'M4 5h16v14H4zM4 15l5-5 4 4 3-3 4 4' },
  { href: '/volumes', label: 'Volumes', icon: 'M4 6c0-1.7 3.6-3 8-3s8 1.3 8 3-3.6 3-8 3-8-1.3-8-3zm0 0v12c0 1.7 3.6 3 8 3s8-1.3 8-3V6M4 12c0 1.7 3.6 3 8 3s8-1.3 8-3' },
  { href: '/networks', label: 'Networks', icon: 'M12 3v6M5 21v-4h14v4M12 9a3 3 0 100 0zM12 12v5M5 17a2 2 0 100 4 2 2 0 000-4z' },
  { href: '/templates', label: 'Templates', icon: 'M4 4h7v7H4zM13 4h7v7h-7zM4 13h7v7H4zM13 13h7v7h-7z' },
  { href: '/stacks', label: 'Stacks', icon: 'M12 3l9 5-9 5-9-5zM3 13l9 5 9-5M3 17l9 5 9-5' },
  { href: '/events', label: 'Events', icon: 'M13 2L4 14h7l-1 8 9-12h-7z' },
  { href: '/environments', label: 'Environments', icon: 'M4 5h16v10H4zM8 19h8M12 15v4' },
  { href: '/registries', label: 'Registries', icon: 'M3 7h18v4H3zM3 13h18v4H3zM7 9h.01M7 15h.01' },
  { href: '/users', label: 'Users', icon: 'M16 11a4 4 0 10-8 0 4 4 0 008 0zM4 21c0-4 3.6-6 8-6s8 2 8 6', adminOnly: true },
  { href: '/audit', label: 'Audit', icon: 'M9 4h6v3H9zM7 5H5v16h14V5h-2M8 12h8M8 16h5', adminOnly: true },
  { href: '/settings', label: 'Settings', icon: 'M12 15a3 3 0 100-6 3 3 0 000 6zM19 12l2-1-1-3-2 .3-1.2-1.2.3-2-3-1-1 2h-1.8l-1-2-3 1 .3 2L6.3 7.3 4.3 7 3 10l2 1v2l-2 1 1 3 2-.3 1.2 1.2-.3 2 3 1 1-2h1.8l1 2 3-1-.3-2 1.2-1.2 2 .3 1-3-2-1z' },
];

export function isActive(pathname: string, href: string): boolean {
  return href === '/' ? pathname === '/' : pathname === href || pathname.startsWith(`${href}/`);
}
