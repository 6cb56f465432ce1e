import { type DataResponse, mockDataResponse, mockDataset, mockDimension, mockMeasure } from '@inlay/sdk';

// Shapes as the flights demo's /load answers them (annotation titles from the models).
export const ds = mockDataset('flights');
export const count = mockMeasure('flights.count', { title: 'Flights count' });
export const avgDelay = mockMeasure('flights.avg_delay', { title: 'Average delay' });
export const delayedRatio = mockMeasure('flights.delayed_ratio', {
  title: 'Flights delayed ratio',
  format: 'percent',
});
export const state = mockDimension('airports.state', { title: 'Origin airports state' });
export const destination = mockDimension('flights.destination', { title: 'Destination airport' });
export const week = mockDimension('flights.date', {
  type: 'time',
  granularity: 'week',
  title: 'Flights date',
});

export const byState: DataResponse = mockDataResponse(
  [state, count, avgDelay],
  [
    ['CA', 123456, 7.891],
    ['TX', 98765, 10.5],
    ['NY', 4321, -1.25],
  ],
);

export const byWeek: DataResponse = mockDataResponse(
  [week, delayedRatio],
  [
    ['2001-01-01T00:00:00.000', 0.1834],
    ['2001-01-08T00:00:00.000', 0.2],
    ['2001-01-15T00:00:00.000', null],
  ],
);

export const empty = (members = [count]): DataResponse => mockDataResponse(members, []);
export const failed: DataResponse = { isLoading: false, error: 'Measure flights.nope does not exist' };
export const loading: DataResponse = { isLoading: true };
