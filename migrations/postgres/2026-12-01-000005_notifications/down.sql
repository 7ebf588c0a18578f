DROP TABLE notification_counts;
DROP TABLE notifications;
