DROP TABLE failed_items;
