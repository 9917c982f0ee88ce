/** What other capabilities use of following: the one way to tell a district's people something. */
export { DistrictNews, DistrictNewsItem } from './district-news.service';
export type { AnnouncementKind, NewsTopic } from './district-news.entity';
