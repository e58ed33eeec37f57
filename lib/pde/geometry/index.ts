/** PDE domains: intervals, rectangles, boxes, disks, and geometry x time. */
export { Geometry, Box, Disk, TimeDomain, SpaceTime, interval, rectangle, box, disk, timeDomain, spaceTime, type Part, type SampleOptions } from './geometry.js';
